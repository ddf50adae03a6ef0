/**
 * `toNodeHandler`: serves a Web-standard handler (such as `createIdentityHandler(...)`) from
 * node:http, Express or Connect. The Node ↔ Web bridge is `@hono/node-server`'s request listener
 * (its lazily built Request, client-disconnect aborts, back-pressure and body draining), used
 * without replacing the global `Request`/`Response`. It is imported on first use, so that importing
 * `embed-dashboard/server` on a Web runtime (Deno, Workers, edge functions) never loads `node:http`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from './handler/failure.js';

/** Connect/Express `next`: called only when the handler itself throws. */
export type NextFunction = (error?: unknown) => void;

/** A node:http request listener that is also Express/Connect middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => Promise<void>;

type WebHandler = (request: Request) => Promise<Response>;

/** How `toNodeHandler` bridges Node and the Web handler. */
export interface NodeHandlerOptions {
  /**
   * Replace the process's global `Request` and `Response` with `@hono/node-server`'s lightweight
   * ones, as Hono's own `serve()` does by default. Answers get cheaper (a Node `Response` otherwise
   * always builds a web stream), but every `Request`/`Response` in the whole app becomes theirs:
   * opt in only if your app accepts that. Default `false`: the app's globals stay as they were.
   */
  overrideGlobalObjects?: boolean;
}
type Bridge = typeof import('@hono/node-server');

let bridge: Promise<Bridge> | undefined;
const loadBridge = (): Promise<Bridge> => (bridge ??= import('@hono/node-server'));

/** The 500 answer when the handler throws and there is no `next` to hand the error to. */
function internalError(): Response {
  return new Response(JSON.stringify({ error: { code: 'internal-error', message: 'The server failed to answer.' } }), {
    status: 500,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/** Whether earlier middleware (a body parser such as `express.json()`) already read the request body. */
function bodyAlreadyRead(req: IncomingMessage): boolean {
  return req.readableDidRead && req.method !== 'GET' && req.method !== 'HEAD';
}

/**
 * Adapts a Web handler `(Request) => Promise<Response>` to node:http `(req, res)` and to
 * Express/Connect `(req, res, next)`. The handler's Request has the real method, URL (scheme from
 * the socket, `Host` header, path), headers and streaming body; its `signal` aborts when the
 * client goes away before the answer is sent. The Response's status, headers (Set-Cookie kept
 * apart) and body are written back with back-pressure; a body the handler left unread is drained
 * (a bounded amount) so the connection can be reused.
 *
 * If the handler throws, `next(error)` is called when given, else one line is logged and a 500
 * JSON answer `{"error": {"code": "internal-error"}}` is sent. Mount it before any body parser:
 * a body that earlier middleware already read is such an error (it says so).
 *
 * @example
 * http.createServer(toNodeHandler(createIdentityHandler({ authenticate, vendors }))).listen(3000);
 * app.all('/api/embed/identity', toNodeHandler(identityHandler)); // Express 5, before express.json()
 * @param options `overrideGlobalObjects` (default false): see {@link NodeHandlerOptions}.
 */
export function toNodeHandler(handler: WebHandler, options: NodeHandlerOptions = {}): NodeHandler {
  if (typeof handler !== 'function')
    throw new TypeError('toNodeHandler: pass the handler returned by createIdentityHandler(...).');
  const { overrideGlobalObjects = false } = options;
  if (typeof overrideGlobalObjects !== 'boolean')
    throw new TypeError('toNodeHandler: options.overrideGlobalObjects must be true or false.');
  // Start loading at once; the first request waits for it if it is not there yet.
  loadBridge().catch(() => undefined);

  return async function nodeHandler(req, res, next) {
    const failed = (error: unknown): Response | undefined => {
      if (next) {
        next(error);
        return undefined;
      }
      console.error(`[embed-dashboard] handler failed: ${describeError(error)}`);
      return internalError();
    };
    const { getRequestListener } = await loadBridge();
    // One listener per request, so that a failure reaches this request's `next`.
    const listener = getRequestListener(
      async (request) => {
        if (bodyAlreadyRead(req)) {
          throw new TypeError(
            'toNodeHandler: the request body was already read by earlier middleware (such as express.json()); mount the identity endpoint before body parsers.',
          );
        }
        return handler(request);
      },
      { overrideGlobalObjects, errorHandler: failed },
    );
    await listener(req, res);
  };
}
