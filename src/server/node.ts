/**
 * `toNodeHandler`: serves a Web-standard handler (such as `createIdentityHandler(...)`) from
 * node:http, Express or Connect. Only types are imported from `node:http`, so importing
 * `embed-dashboard/server` stays safe on runtimes without Node's modules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from './handler/failure.js';

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

interface BodyState {
  cancelled: boolean;
}

function requestUrl(req: IncomingMessage, baseUrl: string | undefined): URL {
  // Express strips the mount path from req.url; originalUrl keeps it.
  const rawPath = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const path = rawPath.startsWith('/') ? rawPath : '/';
  const origin = baseUrl ?? `${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  try {
    return new URL(origin + path);
  } catch {
    return new URL(path, 'http://localhost');
  }
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    // HTTP/2 pseudo-headers (:method, :path) are not headers of a Request.
    if (name.startsWith(':')) continue;
    try {
      headers.append(name, raw[index + 1] as string);
    } catch {
      // Node accepted a header value that WHATWG Headers refuses: leave it out.
    }
  }
  return headers;
}

/** The request body as a pull-driven stream: nothing is read until the handler reads. */
function streamBody(req: IncomingMessage, state: BodyState): ReadableStream<Uint8Array> {
  let attached = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!attached) {
          attached = true;
          req.on('data', (chunk: Uint8Array | string) => {
            if (state.cancelled) return;
            controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            // Back-pressure: stop the socket until the handler asks for more.
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => {
            if (!state.cancelled) controller.close();
          });
          req.once('error', (error) => {
            if (!state.cancelled) controller.error(error);
          });
          req.once('close', () => {
            if (!state.cancelled && !req.complete) controller.error(new Error('The client closed the connection before sending the whole body.'));
          });
        }
        req.resume();
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/**
 * Builds a Web Request from a node:http request. When Express/Connect middleware has already
 * consumed the stream and left `req.body`, that body is used (objects re-serialised as JSON) with
 * a matching Content-Length, so the handler's size limit and checks still apply.
 */
function toRequest(req: IncomingMessage, baseUrl: string | undefined, state: BodyState): Request {
  const method = req.method ?? 'GET';
  const headers = requestHeaders(req);
  let body: BodyInit | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = (req as { body?: unknown }).body;
    const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
    if (parsed !== undefined && consumed) {
      const bytes = typeof parsed === 'string' ? encoder.encode(parsed) : parsed instanceof Uint8Array ? new Uint8Array(parsed) : encoder.encode(JSON.stringify(parsed));
      headers.set('content-length', String(bytes.byteLength));
      headers.delete('transfer-encoding');
      body = bytes;
    } else {
      body = streamBody(req, state);
    }
  }
  return new Request(requestUrl(req, baseUrl), { method, headers, body, duplex: 'half' } as RequestInit);
}

/**
 * After the handler is done with the body: discards what it left unread (so keep-alive works),
 * up to `maxDrainBytes`, then closes the connection once the answer has been sent.
 */
function drainRest(req: IncomingMessage, res: ServerResponse, state: BodyState, maxDrainBytes: number): void {
  state.cancelled = true;
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

/**
 * Adapts a Web handler `(Request) => Promise<Response>` to node:http `(req, res)` and to
 * Express/Connect `(req, res, next)`. The body streams in as the handler reads it (or comes from
 * `req.body` when a body parser ran first); status, headers (Set-Cookie kept apart) and body are
 * written back. If the handler throws, `next(error)` is called when given, else a 500 JSON answer
 * `{"error": {"code": "internal-error"}}` is sent and one line is logged.
 *
 * @example
 * http.createServer(toNodeHandler(createIdentityHandler({ authenticate, vendors }))).listen(3000);
 * app.post('/api/embed/identity', toNodeHandler(identityHandler)); // Express
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>, options: NodeHandlerOptions = {}): NodeHandler {
  if (typeof handler !== 'function') throw new TypeError('toNodeHandler: pass the handler returned by createIdentityHandler(...).');
  const baseUrl = options.baseUrl === undefined ? undefined : new URL(options.baseUrl).origin;
  const maxDrainBytes = options.maxDrainBytes ?? 1024 * 1024;

  return async function nodeHandler(req, res, next) {
    const state: BodyState = { cancelled: false };
    let response: Response;
    try {
      response = await handler(toRequest(req, baseUrl, state));
    } catch (error) {
      drainRest(req, res, state, maxDrainBytes);
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
