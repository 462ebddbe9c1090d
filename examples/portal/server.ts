/**
 * The portal and the phone page, served beside the example HTTP service's JSON API on the same
 * origin: the pages are static files, the SDK reaches them as browser bundles, and every other
 * path is the API (`examples/http/service.ts`), unchanged. The pages sign in through the same
 * stand-in as the API (the `x-demo-actor` header, chosen from a list): a real host puts its own
 * sign-in there.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Sdk } from '../../src/index.js';
import { listen, sdkRequestListener, type RunningService, type ServiceOptions } from '../http/service.js';
import { bundleEntries, bundles, type BundlePath } from './assets.js';

/** Someone the stand-in sign-in lets the visitor act as. */
export interface PortalPerson {
  /** The stand-in sign-in header's value: `user:<companyId>:<userId>` or `bank:<operatorId>`. */
  readonly actor: string;
  readonly label: string;
  readonly companyId?: string;
  readonly userId?: string;
  readonly isCompanyAdmin?: boolean;
}

export interface PortalOptions extends ServiceOptions {
  /** The people of the sign-in list, and the companies the bank's pages offer. */
  readonly people: readonly PortalPerson[];
  readonly companies: readonly string[];
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const pages: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/portal/': { file: here('./index.html'), type: 'text/html; charset=utf-8' },
  '/portal/portal.js': { file: here('./portal.js'), type: 'text/javascript; charset=utf-8' },
  '/portal/style.css': { file: here('./style.css'), type: 'text/css; charset=utf-8' },
  '/phone/': { file: here('../phone/index.html'), type: 'text/html; charset=utf-8' },
  '/phone/phone.js': { file: here('../phone/phone.js'), type: 'text/javascript; charset=utf-8' },
  '/phone/style.css': { file: here('./style.css'), type: 'text/css; charset=utf-8' },
};

const isBundle = (path: string): path is BundlePath => Object.hasOwn(bundleEntries, path);

/** Only what the pages need: their own scripts, styles, and drawn QR codes and images as data or blob URLs. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const send = (response: ServerResponse, status: number, type: string, body: string): void => {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
};

/** The portal's request listener: pages, bundles and the sign-in list; the API for everything else. */
export const portalRequestListener = (sdk: Sdk, options: PortalOptions): ((request: IncomingMessage, response: ServerResponse) => void) => {
  const api = sdkRequestListener(sdk, options);
  const bundle = bundles();
  const signIn = JSON.stringify({ people: options.people, companies: options.companies });
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      api(request, response);
      return;
    }
    if (path === '/' || path === '/portal' || path === '/phone') {
      response.writeHead(302, { location: path === '/phone' ? '/phone/' : '/portal/' });
      response.end();
      return;
    }
    const page = pages[path];
    const answer = page !== undefined
      ? readFile(page.file, 'utf8').then((text) => ({ type: page.type, text }))
      : isBundle(path)
        ? bundle(path).then((text) => ({ type: 'text/javascript; charset=utf-8', text }))
        : path === '/portal/sign-in.json'
          ? Promise.resolve({ type: 'application/json; charset=utf-8', text: signIn })
          : undefined;
    if (answer === undefined) {
      api(request, response);
      return;
    }
    answer.then(
      ({ type, text }) => {
        send(response, 200, type, text);
      },
      () => {
        send(response, 500, 'text/plain; charset=utf-8', 'the page could not be prepared');
      },
    );
  };
};

/** Starts the portal (pages and API) on `host:port` (default 127.0.0.1 and a free port). */
export const startPortal = (sdk: Sdk, options: PortalOptions & { readonly host?: string; readonly port?: number }): Promise<RunningService> =>
  listen(portalRequestListener(sdk, options), options);
