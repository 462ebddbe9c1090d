import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, openTelemetryInstrumentation, SPAN_NAMES } from '../../src/otel/index.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { bank, harness, person, STEP, user } from '../sdk/harness.js';
import { telemetry } from './telemetry.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), ...Array.from({ length: 6 }, (_, index) => person(CO, `u${String(index)}`))];

const observedWorld = () => {
  const otel = telemetry();
  const world = harness(people, { instrumentation: otel.instrumentation });
  return { otel, world };
};

const dispatches = (spans: readonly ReadableSpan[], type?: string): readonly ReadableSpan[] =>
  spans.filter((span) => span.name === SPAN_NAMES.dispatch && (type === undefined || span.attributes[ATTRIBUTES.commandType] === type));
const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan, name?: string): readonly ReadableSpan[] =>
  spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId && (name === undefined || span.name === name));

describe('a span per dispatch', () => {
  it('a successful command: its type, outcome ok, no retry, its events; the store append is its child; counted and timed', async () => {
    const { otel, world } = observedWorld();
    await configure(world, CO, 5);
    const [span, ...others] = dispatches(otel.spans(), 'ConfigureCompany');
    expect(others).toEqual([]);
    expect(span?.attributes).toEqual({ [ATTRIBUTES.commandType]: 'ConfigureCompany', [ATTRIBUTES.outcome]: 'ok', [ATTRIBUTES.retries]: 0, [ATTRIBUTES.replayed]: false, [ATTRIBUTES.events]: 1 });
    const appends = childrenOf(otel.spans(), span!, SPAN_NAMES.append);
    expect(appends.map((append) => append.attributes)).toEqual([{ [ATTRIBUTES.events]: 1, [ATTRIBUTES.outcome]: 'ok' }]);
    expect(appends[0]!.spanContext().traceId).toBe(span!.spanContext().traceId);
    expect(await otel.total('softtoken.commands', { [ATTRIBUTES.commandType]: 'ConfigureCompany', [ATTRIBUTES.outcome]: 'ok' })).toBe(1);
    expect(await otel.total('softtoken.command.duration', { [ATTRIBUTES.commandType]: 'ConfigureCompany' })).toBe(1);
  });

  it('a replayed command says so and appends nothing', async () => {
    const { otel, world } = observedWorld();
    const command = { type: 'ConfigureCompany', commandId: 'same', actor: bank, companyId: CO, quota: 5 };
    await world.sdk.dispatchJson(command)();
    await world.sdk.dispatchJson(command)();
    const [first, second] = dispatches(otel.spans());
    expect(first?.attributes[ATTRIBUTES.replayed]).toBe(false);
    expect(second?.attributes[ATTRIBUTES.replayed]).toBe(true);
    expect(childrenOf(otel.spans(), second!)).toEqual([]);
  });

  it('an input naming no registered command is typed "unknown": its own text never reaches a span or a metric', async () => {
    const { otel, world } = observedWorld();
    await world.sdk.dispatchJson({ type: 'Steal<123456>', otp: '123456' })();
    await world.sdk.dispatchJson(null)();
    expect(dispatches(otel.spans()).map((span) => span.attributes)).toEqual([
      { [ATTRIBUTES.commandType]: 'unknown', [ATTRIBUTES.outcome]: 'InvalidCommand', [ATTRIBUTES.errorCode]: 'INVALID_COMMAND', [ATTRIBUTES.retries]: 0 },
      { [ATTRIBUTES.commandType]: 'unknown', [ATTRIBUTES.outcome]: 'InvalidCommand', [ATTRIBUTES.errorCode]: 'INVALID_COMMAND', [ATTRIBUTES.retries]: 0 },
    ]);
    expect(await otel.total('softtoken.commands', { [ATTRIBUTES.commandType]: 'unknown', [ATTRIBUTES.outcome]: 'InvalidCommand' })).toBe(2);
  });

  it('an accepted code: the OTP verification is a child of its dispatch, and counted as accepted', async () => {
    const { otel, world } = observedWorld();
    await configure(world, CO, 5);
    const ada = await activeToken(world, admin, admin);
    const acceptedBefore = await otel.total('softtoken.otp.verifications', { [ATTRIBUTES.otpOutcome]: 'accepted' });
    world.clock.advance(STEP);
    await world.ok(admin, { type: 'VerifyOtp', otp: ada.app.code(world.clock.now()) });
    const span = dispatches(otel.spans(), 'VerifyOtp').at(-1)!;
    expect(span.attributes[ATTRIBUTES.outcome]).toBe('ok');
    expect(childrenOf(otel.spans(), span, SPAN_NAMES.verifyOtp).map((verify) => verify.attributes)).toEqual([{ [ATTRIBUTES.otpOutcome]: 'accepted' }]);
    expect(childrenOf(otel.spans(), span, SPAN_NAMES.append)).toHaveLength(1);
    expect(await otel.total('softtoken.otp.verifications', { [ATTRIBUTES.otpOutcome]: 'accepted' })).toBe(acceptedBefore + 1);
  });

  it('wrong codes until the lock: refused with OTP_REJECTED, rejections counted by reason, one lock counted, then TOKEN_LOCKED', async () => {
    const { otel, world } = observedWorld();
    await configure(world, CO, 5);
    const ada = await activeToken(world, admin, admin);
    for (let attempt = 1; attempt <= 10; attempt++) {
      world.clock.advance(STEP);
      await world.fails(admin, { type: 'VerifyOtp', otp: ada.app.code(world.clock.now()) === '000000' ? '111111' : '000000' });
    }
    world.clock.advance(STEP);
    expect(await world.fails(admin, { type: 'VerifyOtp', otp: ada.app.code(world.clock.now()) })).toMatchObject({ _tag: 'TokenLocked' });

    const verifies = dispatches(otel.spans(), 'VerifyOtp');
    expect(verifies.slice(0, 10).map((span) => [span.attributes[ATTRIBUTES.outcome], span.attributes[ATTRIBUTES.errorCode]])).toEqual(Array(10).fill(['OtpRejected', 'OTP_REJECTED']));
    expect(verifies[10]?.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'TokenLocked', [ATTRIBUTES.errorCode]: 'TOKEN_LOCKED' });
    for (const span of verifies.slice(0, 10)) {
      expect(childrenOf(otel.spans(), span, SPAN_NAMES.verifyOtp).map((verify) => verify.attributes[ATTRIBUTES.otpOutcome])).toEqual(['mismatch']);
    }
    // A refusal is an answer, not a failure of the service.
    expect(verifies.every((span) => span.status.code !== SpanStatusCode.ERROR)).toBe(true);
    expect(await otel.total('softtoken.otp.verifications', { [ATTRIBUTES.otpOutcome]: 'mismatch' })).toBe(10);
    expect(await otel.total('softtoken.token.locks', { [ATTRIBUTES.lockReason]: 'otp-failures' })).toBe(1);
    expect(await otel.total('softtoken.commands', { [ATTRIBUTES.commandType]: 'VerifyOtp', [ATTRIBUTES.outcome]: 'OtpRejected' })).toBe(10);
    expect(await otel.total('softtoken.commands', { [ATTRIBUTES.commandType]: 'VerifyOtp', [ATTRIBUTES.outcome]: 'TokenLocked' })).toBe(1);
  });

  it('concurrent dispatches: every verification and append is the child of its own dispatch', async () => {
    const { otel, world } = observedWorld();
    await configure(world, CO, 10);
    const ada = await activeToken(world, admin, admin);
    const tokens = [];
    for (let index = 0; index < 6; index++) tokens.push({ who: user(CO, `u${String(index)}`), ...(await activeToken(world, admin, user(CO, `u${String(index)}`), ada.app)) });
    world.clock.advance(STEP);
    const before = dispatches(otel.spans()).length;
    // Half of them type a wrong code; all at once.
    await Promise.all(
      tokens.map(({ who, app }, index) => {
        const right = app.code(world.clock.now());
        return world.send(who, { type: 'VerifyOtp', otp: index % 2 === 0 ? right : right === '000000' ? '111111' : '000000' });
      }),
    );
    const concurrent = dispatches(otel.spans()).slice(before);
    expect(concurrent).toHaveLength(6);
    const pairs = concurrent.map((span) => {
      const [verify, ...more] = childrenOf(otel.spans(), span, SPAN_NAMES.verifyOtp);
      expect(more).toEqual([]);
      expect(childrenOf(otel.spans(), span, SPAN_NAMES.append)).toHaveLength(1);
      return [span.attributes[ATTRIBUTES.outcome], verify?.attributes[ATTRIBUTES.otpOutcome]];
    });
    expect(pairs.filter(([outcome]) => outcome === 'ok')).toEqual(Array(3).fill(['ok', 'accepted']));
    expect(pairs.filter(([outcome]) => outcome !== 'ok')).toEqual(Array(3).fill(['OtpRejected', 'mismatch']));
  });

  it('conflicting commands: retries on the span equal the retries counted, conflicts at least as many, each conflicting append under a dispatch that retried', async () => {
    const { otel, world } = observedWorld();
    await configure(world, CO, 10);
    // Six assignments at once: each takes a slot of the company's quota, so they collide on its stream.
    await Promise.all(Array.from({ length: 6 }, (_, index) => world.send(admin, { type: 'RequestTokenAssignment', userId: `u${String(index)}` })));
    const requests = dispatches(otel.spans(), 'RequestTokenAssignment');
    const retries = requests.reduce((sum, span) => sum + Number(span.attributes[ATTRIBUTES.retries]), 0);
    expect(retries).toBeGreaterThan(0);
    expect(await otel.total('softtoken.command.retries', { [ATTRIBUTES.commandType]: 'RequestTokenAssignment' })).toBe(retries);
    expect(await otel.total('softtoken.command.conflicts', { [ATTRIBUTES.commandType]: 'RequestTokenAssignment' })).toBeGreaterThanOrEqual(retries);
    const conflicted = otel.spans().filter((span) => span.name === SPAN_NAMES.append && span.attributes[ATTRIBUTES.outcome] === 'ConcurrencyConflict');
    for (const append of conflicted) {
      const parent = requests.find((span) => span.spanContext().spanId === append.parentSpanContext?.spanId);
      expect(Number(parent?.attributes[ATTRIBUTES.retries]) > 0 || parent?.attributes[ATTRIBUTES.outcome] === 'ConcurrencyConflict').toBe(true);
    }
    expect(requests.every((span) => span.attributes[ATTRIBUTES.outcome] === 'ok')).toBe(true);
  });
});

describe('configuration', () => {
  it('records nothing unless instrumentation is given, even with a global OpenTelemetry SDK registered; given without providers, it uses the global ones', async () => {
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    try {
      await configure(harness(people), CO, 5);
      expect(exporter.getFinishedSpans()).toEqual([]);
      await configure(harness(people, { instrumentation: openTelemetryInstrumentation() }), CO, 5);
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([SPAN_NAMES.append, SPAN_NAMES.dispatch]);
    } finally {
      trace.disable();
    }
  });
});
