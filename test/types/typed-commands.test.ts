import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSdk,
  inMemoryDirectory,
  type Actor,
  type ActivationCodeOutput,
  type AgreementOutput,
  type Command,
  type CommandOf,
  type CommandType,
  type DispatchResult,
  type OrdersOutput,
  type OutputOf,
  type RequestTokenAssignmentOutput,
  type SdkError,
  type UploadOrderOutput,
  type VerifyOtpOutput,
} from '../../src/index.js';

const bank: Actor = { kind: 'bank', operatorId: 'op-1' };
const ana: Actor = { kind: 'user', companyId: 'acme', userId: 'ana' };

/**
 * Every command type the SDK registers: a `Record` over `CommandType`, so a command added to the
 * registry and not here (or the other way round) fails to compile, and the test below compares it
 * with what the SDK actually runs.
 */
const everyCommandType: Readonly<Record<CommandType, true>> = {
  ConfigureCompany: true,
  RequestTokenAssignment: true,
  ConfirmTokenAssignment: true,
  ReissueActivationCode: true,
  EnrollDevice: true,
  EnrollDeviceV2: true,
  RequestConfirmation: true,
  RejectConfirmation: true,
  ActivateToken: true,
  DeleteToken: true,
  ImportPhysicalToken: true,
  ImportPhysicalTokens: true,
  AssignPhysicalToken: true,
  VerifyOtp: true,
  UnlockToken: true,
  ResyncToken: true,
  ClearSecurityQuestionLock: true,
  SuspendToken: true,
  ResumeToken: true,
  ReportTokenLost: true,
  ReactivateToken: true,
  RegisterServiceAgreement: true,
  GrantApprover: true,
  RevokeApprover: true,
  UploadOrder: true,
  DeleteOrder: true,
  ApproveOrders: true,
  RevokeOrders: true,
  MarkOrderExecuted: true,
};

describe('the command registry', () => {
  it('names exactly the commands the SDK runs', async () => {
    const refused = await createSdk().dispatchJson({ type: 'NoSuchCommand' })();
    const message = E.isLeft(refused) && refused.left._tag === 'InvalidCommand' ? (refused.left.issues[0]?.message ?? '') : '';
    const known = message.replace(/^.*one of: /u, '').split(', ').sort();
    expect(known).toEqual(Object.keys(everyCommandType).sort());
  });
});

describe('dispatch, typed', () => {
  it('answers each command with its own output type, with no cast', async () => {
    const sdk = createSdk({ directory: inMemoryDirectory([{ companyId: 'acme', userId: 'ana', displayName: 'Ana', active: true, isCompanyAdmin: false, email: 'ana@acme.example', mobile: '+57 300 555 0100', securityAnswer: 'Quito' }]) });
    await sdk.dispatch({ type: 'ConfigureCompany', commandId: 'c1', actor: bank, companyId: 'acme', quota: 5, policy: { assignmentConfirmation: 'none' } })();
    const requested = await sdk.dispatch({ type: 'RequestTokenAssignment', commandId: 'c2', actor: ana })();
    expectTypeOf(requested).toEqualTypeOf<E.Either<SdkError, DispatchResult<RequestTokenAssignmentOutput>>>();
    if (E.isLeft(requested)) throw new Error(requested.left.message);
    // `serial` is read off the typed output: no cast.
    expect(requested.right.output.serial).toMatch(/^ST\d{10}[0-9A-Z]$/u);
  });

  it('types outputs by command type and by command', () => {
    expectTypeOf<OutputOf<'RequestTokenAssignment'>>().toEqualTypeOf<RequestTokenAssignmentOutput>();
    expectTypeOf<OutputOf<'ConfirmTokenAssignment'>>().toEqualTypeOf<ActivationCodeOutput>();
    expectTypeOf<OutputOf<'VerifyOtp'>>().toEqualTypeOf<VerifyOtpOutput>();
    expectTypeOf<OutputOf<'UploadOrder'>>().toEqualTypeOf<UploadOrderOutput>();
    expectTypeOf<OutputOf<'ApproveOrders'>>().toEqualTypeOf<OrdersOutput>();
    expectTypeOf<OutputOf<'GrantApprover'>>().toEqualTypeOf<AgreementOutput>();
    expectTypeOf<OutputOf<CommandOf<'DeleteOrder'>>>().toEqualTypeOf<OrdersOutput>();
    // A union of commands answers the union of their outputs.
    expectTypeOf<OutputOf<CommandOf<'VerifyOtp'> | CommandOf<'UploadOrder'>>>().toEqualTypeOf<VerifyOtpOutput | UploadOrderOutput>();
    expectTypeOf<Command['type']>().toEqualTypeOf<CommandType>();
  });

  it('refuses at compile time a misspelt field, a wrong type, a missing field and an unknown command', () => {
    const sdk = createSdk();
    const ok = (): unknown => [
      sdk.dispatch({ type: 'DeleteToken', commandId: 'c', actor: ana, serial: 'ST00000000017', otp: '123456' }),
      sdk.dispatch({ type: 'UploadOrder', commandId: 'c', actor: ana, orderId: 'o', companyId: 'acme', serviceId: 'PAGOS', kind: 'single', reference: 'r', total: '1.00', currency: 'USD' }),
      sdk.dispatch({ type: 'ResyncToken', commandId: 'c', actor: ana, serial: 'ST00000000017', codes: ['123456', '654321'] }),
    ];
    const wrong = (): unknown => [
      // @ts-expect-error -- `serail` is not a field of DeleteToken
      sdk.dispatch({ type: 'DeleteToken', commandId: 'c', actor: ana, serail: 'ST00000000017' }),
      // @ts-expect-error -- an OTP is the text the person typed
      sdk.dispatch({ type: 'DeleteToken', commandId: 'c', actor: ana, serial: 'ST00000000017', otp: 123456 }),
      // @ts-expect-error -- `otpp` is not `otp`
      sdk.dispatch({ type: 'ApproveOrders', commandId: 'c', actor: ana, orderIds: ['o'], otpp: '123456' }),
      // @ts-expect-error -- `serial` is required
      sdk.dispatch({ type: 'UnlockToken', commandId: 'c', actor: ana }),
      // @ts-expect-error -- every command has a commandId
      sdk.dispatch({ type: 'VerifyOtp', actor: ana, otp: '123456' }),
      // @ts-expect-error -- approval levels are 1 to 4
      sdk.dispatch({ type: 'RegisterServiceAgreement', commandId: 'c', actor: bank, companyId: 'acme', serviceId: 'PAGOS', approvalLevels: 'two' }),
      // @ts-expect-error -- no such command
      sdk.dispatch({ type: 'DeleteEverything', commandId: 'c', actor: bank }),
      // @ts-expect-error -- a resync takes two codes
      sdk.dispatch({ type: 'ResyncToken', commandId: 'c', actor: ana, serial: 'ST00000000017', codes: ['123456'] }),
    ];
    expect([ok, wrong].every((f) => typeof f === 'function')).toBe(true);
  });

  it('takes a Command built elsewhere (a union) and a generic wrapper without casts', () => {
    const sdk = createSdk();
    const send = <T extends CommandType>(command: CommandOf<T>) => sdk.dispatch(command);
    expectTypeOf(send({ type: 'VerifyOtp', commandId: 'c', actor: ana, otp: '123456' })).returns.resolves.toEqualTypeOf<E.Either<SdkError, DispatchResult<VerifyOtpOutput>>>();
    const any = (command: Command) => sdk.dispatch(command);
    expectTypeOf(any).returns.returns.resolves.toEqualTypeOf<E.Either<SdkError, DispatchResult<OutputOf<Command>>>>();
  });

  it('dispatchJson takes any value, as a host receiving JSON does, and answers a typed error for junk', async () => {
    const sdk = createSdk();
    const body: unknown = JSON.parse('{"type":"DeleteToken","commandId":"c","actor":{"kind":"bank","operatorId":"op"}}');
    const answer = await sdk.dispatchJson(body)();
    expect(E.isLeft(answer) && answer.left).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'serial' }] });
    expectTypeOf(sdk.dispatchJson).parameter(0).toEqualTypeOf<unknown>();
  });
});
