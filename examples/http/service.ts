/**
 * A small HTTP service that embeds the SDK, on plain `node:http`: JSON commands in, events and
 * errors out, with status codes a client can act on. It shows what a host adds around the SDK:
 * authentication (the actor comes from it, never from the body), who may read which view, body
 * limits, and no caching of answers that may carry an activation code.
 *
 *   POST /commands                      a command (JSON, without `actor`) -> 200 { commandId, replayed, output, events }
 *   GET  /companies/{companyId}/tokens  the token table (?page, pageSize, includeDeleted, sortBy, order)
 *   GET  /companies/{companyId}/orders  an orders view (?view=search|delete|approve|revoke, serviceId, status, approverId, page, pageSize)
 *   GET  /orders/{orderId}              one order of the caller's company (the bank adds ?companyId=)
 *   GET  /audit                         the audit trail (?companyId, actorId, serial, action, page, pageSize)
 *   GET  /integrity                     every hash chain checked (bank operators only)
 *
 * Errors: `{ "error": { "_tag", "code", "message", … } }` with the status of `errorCatalog`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import {
  forbidden,
  infrastructure,
  invalidCommand,
  notFound,
  type Actor,
  type AuditQuery,
  type InMemoryActivationCodeOutbox,
  type Sdk,
  type SdkError,
  type TokenTableQuery,
} from '../../src/index.js';
import { errorCatalog } from './errors.js';

/** Tells who sent a request, or undefined when nobody is signed in. The host's real authentication goes here. */
export type Authenticate = (request: IncomingMessage) => Actor | undefined;

export interface ServiceOptions {
  readonly authenticate: Authenticate;
  /** The largest request body accepted (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /**
   * Stands in for the owner's phone (the SMS the bank sends): the activation codes the SDK
   * delivered through its `activationCodeDelivery`, read by `GET /phone/activation-codes/<serial>`,
   * to the token's owner only. A real host sends them over its own channel and has no such route.
   */
  readonly phone?: InMemoryActivationCodeOutbox;
}

/**
 * A stand-in for real authentication, for the example and its test only: the header
 * `x-demo-actor: user:<companyId>:<userId>` or `bank:<operatorId>`. Never trust such a header in
 * production: put your session or token check here.
 */
export const demoAuthentication: Authenticate = (request) => {
  const header = request.headers['x-demo-actor'];
  if (typeof header !== 'string') return undefined;
  const [kind, first, second, ...rest] = header.split(':');
  if (kind === 'user' && first !== undefined && first !== '' && second !== undefined && second !== '' && rest.length === 0) {
    return { kind: 'user', companyId: first, userId: second };
  }
  if (kind === 'bank' && first !== undefined && first !== '' && second === undefined) return { kind: 'bank', operatorId: first };
  return undefined;
};

type Reply = { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> };

const ok = (body: unknown): Reply => ({ status: 200, body });

/** An SDK error as a reply, with the status the catalogue gives its tag. */
export const errorReply = (error: SdkError): Reply => ({
  status: errorCatalog[error._tag].status,
  body: { error },
  // A 401 carries a challenge: here, "confirm with a code from your soft token".
  ...(errorCatalog[error._tag].status === 401 ? { headers: { 'www-authenticate': 'OTP realm="softtoken"' } } : {}),
});

/** A transport-level refusal of the host itself (not an SDK error): no identity, wrong media type, body too large. */
const hostError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

const fromTask = async <A>(task: TaskEither<SdkError, A>, render: (value: A) => unknown = (value) => value): Promise<Reply> => {
  const result = await task();
  return E.isLeft(result) ? errorReply(result.left) : ok(render(result.right));
};

type Body = { readonly _tag: 'Body'; readonly text: string } | { readonly _tag: 'TooLarge' };

const readBody = (request: IncomingMessage, limit: number): Promise<Body> =>
  new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      request.resume();
      resolve({ _tag: 'TooLarge' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolve({ _tag: 'TooLarge' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve({ _tag: 'Body', text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch (error) {
        reject(error instanceof Error ? error : new Error('not UTF-8'));
      }
    });
    request.on('error', reject);
  });

const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const handleCommand = async (sdk: Sdk, request: IncomingMessage, actor: Actor, limit: number): Promise<Reply> => {
  if (!/^application\/json\s*(;|$)/iu.test(request.headers['content-type'] ?? '')) {
    return hostError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the command as application/json');
  }
  let body: Body;
  try {
    body = await readBody(request, limit);
  } catch {
    return errorReply(invalidCommand([{ path: '', message: 'the body is not UTF-8 text' }]));
  }
  if (body._tag === 'TooLarge') return { ...hostError(413, 'BODY_TOO_LARGE', `a command is at most ${limit} bytes`), headers: { connection: 'close' } };
  let command: unknown;
  try {
    command = JSON.parse(body.text);
  } catch {
    return errorReply(invalidCommand([{ path: '', message: 'the body is not JSON' }]));
  }
  if (!isJsonObject(command)) return errorReply(invalidCommand([{ path: '', message: 'a command is a JSON object' }]));
  if ('actor' in command) return errorReply(invalidCommand([{ path: 'actor', message: 'set by the server from your sign-in; leave it out' }]));
  return fromTask(sdk.dispatchJson({ ...command, actor }), (result) => ({
    commandId: result.commandId,
    replayed: result.replayed,
    output: result.output,
    events: result.events,
  }));
};

const integer = (value: string | null): number | string | undefined => (value === null ? undefined : /^\d{1,15}$/u.test(value) ? Number(value) : value);

const defined = <T extends Record<string, unknown>>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;

/** A user reads their own company's views only; a bank operator reads every company's. */
const mayRead = (actor: Actor, companyId: string): boolean => actor.kind === 'bank' || (actor.kind === 'user' && actor.companyId === companyId);

const route = async (sdk: Sdk, request: IncomingMessage, options: ServiceOptions & { readonly maxBodyBytes: number }): Promise<Reply> => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  } catch {
    return errorReply(invalidCommand([{ path: 'url', message: 'the path is not well-formed' }]));
  }
  const actor = options.authenticate(request);
  if (actor === undefined) return { ...hostError(401, 'UNAUTHENTICATED', 'sign in first'), headers: { 'www-authenticate': 'Bearer' } };
  const method = request.method ?? 'GET';
  const params = url.searchParams;
  const [first, second, third, ...rest] = segments;

  if (first === 'commands' && second === undefined) {
    return method === 'POST' ? handleCommand(sdk, request, actor, options.maxBodyBytes) : hostError(405, 'METHOD_NOT_ALLOWED', 'POST a command here');
  }
  if (method !== 'GET') return hostError(405, 'METHOD_NOT_ALLOWED', 'views are read with GET');
  if (first === 'companies' && second !== undefined && third === 'tokens' && rest.length === 0) {
    if (!mayRead(actor, second)) return errorReply(forbidden('you may read your own company only'));
    const query = defined({
      page: integer(params.get('page')),
      pageSize: integer(params.get('pageSize')),
      includeDeleted: params.get('includeDeleted') === null ? undefined : params.get('includeDeleted') === 'true',
      sortBy: params.get('sortBy') ?? undefined,
      order: params.get('order') ?? undefined,
    });
    // The view checks every field at run time, so what a client sends is passed on as it came.
    return fromTask(sdk.views.tokenTable(second, query as TokenTableQuery));
  }
  if (first === 'companies' && second !== undefined && third === 'orders' && rest.length === 0) {
    if (!mayRead(actor, second)) return errorReply(forbidden('you may read your own company only'));
    const status = params.get('status');
    // The views decode their query with io-ts and name every bad field: pass on what came.
    const query = defined({
      companyId: second,
      serviceId: params.get('serviceId') ?? undefined,
      status: status === null ? undefined : status.includes(',') ? status.split(',') : status,
      approverId: params.get('approverId') ?? undefined,
      page: integer(params.get('page')),
      pageSize: integer(params.get('pageSize')),
    });
    const view = params.get('view') ?? 'search';
    const { orders } = sdk.views;
    if (view === 'search') return fromTask(orders.search(query));
    const { approverId: _approver, status: _status, ...plain } = query;
    if (view === 'delete') return fromTask(orders.toDelete(plain));
    if (view === 'approve') return fromTask(orders.toApprove({ ...plain, ...(query.approverId === undefined ? {} : { approverId: query.approverId }) }));
    if (view === 'revoke') return fromTask(orders.toRevoke(plain));
    return errorReply(invalidCommand([{ path: 'view', message: 'one of search, delete, approve, revoke' }]));
  }
  if (first === 'orders' && second !== undefined && third === undefined) {
    // Order ids are scoped by company: a user reads their own company's; the bank names the company.
    const companyId = actor.kind === 'user' ? actor.companyId : params.get('companyId');
    if (companyId === null) return errorReply(invalidCommand([{ path: 'companyId', message: 'name the company of the order' }]));
    const result = await sdk.views.orders.order(companyId, second)();
    if (E.isLeft(result)) return errorReply(result.left);
    if (result.right === undefined || !mayRead(actor, companyId)) return errorReply(notFound('order', second));
    return ok(result.right);
  }
  if (first === 'audit' && second === undefined) {
    const companyId = params.get('companyId') ?? undefined;
    if (actor.kind === 'user' && companyId !== undefined && companyId !== actor.companyId) return errorReply(forbidden('you may read your own company only'));
    const query = defined({
      companyId: actor.kind === 'user' ? actor.companyId : companyId,
      actorId: params.get('actorId') ?? undefined,
      serial: params.get('serial') ?? undefined,
      action: params.get('action') ?? undefined,
      page: integer(params.get('page')),
      pageSize: integer(params.get('pageSize')),
    });
    return fromTask(sdk.views.audit(query as AuditQuery));
  }
  if (first === 'phone' && second === 'activation-codes' && third !== undefined && rest.length === 0) {
    // The owner's own inbox: nobody else's identity reaches a code.
    const message = actor.kind === 'user' ? options.phone?.latestFor({ companyId: actor.companyId, userId: actor.userId, serial: third }) : undefined;
    return message === undefined ? errorReply(notFound('activation code', third)) : ok(message);
  }
  if (first === 'integrity' && second === undefined) {
    if (actor.kind !== 'bank') return errorReply(forbidden('only bank operators check the store'));
    return fromTask(sdk.verify());
  }
  return errorReply(notFound('route', `${method} ${url.pathname}`));
};

const write = (response: ServerResponse, reply: Reply): void => {
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Answers may carry an activation code (shown once): no cache may keep them.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  });
  response.end(text);
};

/** The request listener: route, run, reply; whatever happens, the client gets JSON and never a stack trace. */
export const sdkRequestListener =
  (sdk: Sdk, options: ServiceOptions) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    const resolved = { maxBodyBytes: 64 * 1024, ...options };
    route(sdk, request, resolved)
      .catch(() => errorReply(infrastructure('the service failed to answer')))
      .then((reply) => {
        write(response, reply);
      }, () => {
        response.destroy();
      });
  };

/** A running service: its base URL and how to stop it. */
export interface RunningService {
  readonly url: string;
  readonly server: Server;
  readonly close: () => Promise<void>;
}

/** Serves `listener` on `host:port` (default 127.0.0.1 and a free port). */
export const listen = (listener: (request: IncomingMessage, response: ServerResponse) => void, options: { readonly host?: string; readonly port?: number }): Promise<RunningService> =>
  new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({
        url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
        server,
        close: () =>
          new Promise((done) => {
            server.close(() => {
              done();
            });
            server.closeAllConnections();
          }),
      });
    });
  });

/** Starts the service on `host:port` (default 127.0.0.1 and a free port). */
export const startService = (sdk: Sdk, options: ServiceOptions & { readonly host?: string; readonly port?: number }): Promise<RunningService> =>
  listen(sdkRequestListener(sdk, options), options);
