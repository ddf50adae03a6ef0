/**
 * `toNodeHandler`: serves a Web-standard handler (such as `createIdentityHandler(...)`) from
 * node:http, Express or Connect. Only types are imported from `node:http`, so importing
 * `embed-dashboard/server` stays safe on runtimes without Node's modules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CORE, type IdentityCoreAccess } from './handler/core.js';
import { describeError } from './handler/failure.js';
import {
  bodylessRequest,
  readNodeBody,
  toRequest,
  type BodyState,
  type NodeRequestHead,
} from './handler/node-request.js';
import type { Answer } from './handler/respond.js';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * The public origin (`https://app.example.com`) to build the Request URL from. Default: `http`
   * or `https` from the socket plus the `Host` header. Set it behind a proxy that rewrites Host.
   */
  baseUrl?: string;
  /**
   * Bytes of a request body left unread by the handler (e.g. after a 413) that are read and
   * discarded after answering so the connection can be reused; beyond this the connection is
   * closed once the answer is sent. Default 1 MiB.
   */
  maxDrainBytes?: number;
}

/** Connect/Express `next`: called only when the handler itself throws. */
export type NextFunction = (error?: unknown) => void;

/** A node:http request listener that is also Express/Connect middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => Promise<void>;

const encoder = new TextEncoder();

/** The identity core a handler from `createIdentityHandler` carries, if it is one (of a compatible version). */
function identityCoreOf(handler: unknown): IdentityCoreAccess | undefined {
  const access = (handler as { [IDENTITY_CORE]?: IdentityCoreAccess })[IDENTITY_CORE];
  return access !== undefined && access.version === 1 && typeof access.answer === 'function' ? access : undefined;
}

/**
 * After the handler is done with the body: discards what it left unread (so keep-alive works),
 * up to `maxDrainBytes`, then closes the connection once the answer has been sent.
 */
function drainRest(
  req: IncomingMessage,
  res: ServerResponse,
  state: BodyState | undefined,
  maxDrainBytes: number,
): void {
  if (state) state.cancelled = true;
  if (req.complete || req.readableEnded || req.destroyed) return;
  let discarded = 0;
  req.on('data', (chunk: Uint8Array) => {
    discarded += chunk.byteLength;
    if (discarded > maxDrainBytes && !req.destroyed) {
      if (res.writableFinished) req.destroy();
      else res.once('finish', () => req.destroy());
    }
  });
  req.resume();
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (response.body === null) {
    res.end();
    return;
  }
  if (/^application\/json\b/i.test(response.headers.get('content-type') ?? '')) {
    // A JSON answer is small and whole: send it in one write with a Content-Length.
    const bytes = new Uint8Array(await response.arrayBuffer());
    res.setHeader('content-length', String(bytes.byteLength));
    res.end(bytes);
    return;
  }
  const reader = response.body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await waitForDrain(res);
      if (res.destroyed) return;
    }
    res.end();
  } finally {
    res.off('close', stop);
  }
}

/** UTF-8 length of a string: Buffer's native count where there is one (Node, Bun, Deno), else by encoding. */
function byteLength(text: string): number {
  return typeof Buffer === 'function' ? Buffer.byteLength(text) : encoder.encode(text).byteLength;
}

/** Writes an identity answer as the Web path would: status, headers, Content-Length, one write. */
function writeAnswer(answer: Answer, res: ServerResponse): void {
  const headers = answer.headers;
  if (answer.body === null) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(byteLength(answer.body));
  res.writeHead(answer.status, headers);
  // A string goes out with the header block in a single write.
  res.end(answer.body, 'utf8');
}

/** The handler threw: `next(error)` when given, else a 500 JSON answer and one log line. */
function failed(error: unknown, res: ServerResponse, next: NextFunction | undefined): void {
  if (next) {
    next(error);
    return;
  }
  console.error(`[embed-dashboard] handler failed: ${describeError(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ error: { code: 'internal-error', message: 'The server failed to answer.' } }));
}

/**
 * Adapts a Web handler `(Request) => Promise<Response>` to node:http `(req, res)` and to
 * Express/Connect `(req, res, next)`. The body streams in as the handler reads it (or comes from
 * `req.body` when a body parser ran first); status, headers (Set-Cookie kept apart) and body are
 * written back. If the handler throws, `next(error)` is called when given, else a 500 JSON answer
 * `{"error": {"code": "internal-error"}}` is sent and one line is logged.
 *
 * A handler from `createIdentityHandler` is served without Web streams: the answers are the same,
 * but the body is read straight from the socket (same limits) and the Request that `authenticate`,
 * the providers and `onError` get has the real method, URL and headers and no body (`body` is null).
 * That Request is built lazily: it is `instanceof Request` and reading `method`, `url` or `headers`
 * builds nothing, while any other member (`signal`, `clone()`, passing it to `fetch`) builds the
 * full Request once. On Node 20 this halves the handler's cost per request.
 *
 * @example
 * http.createServer(toNodeHandler(createIdentityHandler({ authenticate, vendors }))).listen(3000);
 * app.post('/api/embed/identity', toNodeHandler(identityHandler)); // Express
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): NodeHandler {
  if (typeof handler !== 'function')
    throw new TypeError('toNodeHandler: pass the handler returned by createIdentityHandler(...).');
  const baseUrl = options.baseUrl === undefined ? undefined : new URL(options.baseUrl).origin;
  const maxDrainBytes = options.maxDrainBytes ?? 1024 * 1024;
  const identity = identityCoreOf(handler);

  if (identity) {
    const { answer: identityAnswer } = identity;
    return async function nodeHandler(req, res, next) {
      let answer: Answer;
      let head: NodeRequestHead | undefined;
      try {
        const current = bodylessRequest(req, baseUrl);
        head = current;
        answer = await identityAnswer(current.request, (maxBytes) => readNodeBody(req, current, maxBytes));
      } catch (error) {
        drainRest(req, res, undefined, maxDrainBytes);
        failed(error, res, next);
        return;
      }
      // The whole body was read: let the stream run to its end, there is nothing to count.
      if (head.bodyTaken) req.resume();
      else drainRest(req, res, undefined, maxDrainBytes);
      try {
        writeAnswer(answer, res);
      } catch {
        res.destroy();
      }
    };
  }

  return async function nodeHandler(req, res, next) {
    const state: BodyState = { cancelled: false };
    let response: Response;
    try {
      response = await handler(toRequest(req, baseUrl, state));
    } catch (error) {
      drainRest(req, res, state, maxDrainBytes);
      failed(error, res, next);
      return;
    }
    drainRest(req, res, state, maxDrainBytes);
    try {
      await writeResponse(response, res);
    } catch {
      // The response body failed midway: nothing sensible can follow the bytes already sent.
      res.destroy();
    }
  };
}
