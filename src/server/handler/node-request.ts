/**
 * The request side of `toNodeHandler` (part of the node:http adapter; only types come from
 * `node:http`): a Web Request from an IncomingMessage, either with a pull-driven streaming body (any
 * Web handler) or without a body, the identity core reading the body from the socket itself.
 */
import type { IncomingMessage } from 'node:http';
import { declaredLength, decodeBody, declaresTooMuch, tooLarge } from './body.js';
import { lazyRequest } from './lazy-request.js';

const encoder = new TextEncoder();

/** Whether the handler gave up on the request body (the adapter drains or drops the rest). */
export interface BodyState {
  cancelled: boolean;
}

function requestOrigin(req: IncomingMessage, baseUrl: string | undefined, host = req.headers.host): string {
  return (
    baseUrl ??
    `${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http'}://${host ?? 'localhost'}`
  );
}

function requestPath(req: IncomingMessage): string {
  // Express strips the mount path from req.url; originalUrl keeps it.
  const rawPath = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  return rawPath.startsWith('/') ? rawPath : '/';
}

/** The request URL: `baseUrl` (or scheme + Host) + path; `http://localhost` + path when that is not a URL. */
function requestUrl(req: IncomingMessage, baseUrl: string | undefined, host = req.headers.host): URL {
  const path = requestPath(req);
  try {
    return new URL(requestOrigin(req, baseUrl, host) + path);
  } catch {
    return new URL(path, 'http://localhost');
  }
}

/** The request headers as WHATWG Headers, leaving out any header value they refuse. */
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

/** The first Host and Content-Length values, as `req.headers` would say, read from `rawHeaders` without building it. */
function headFields(req: IncomingMessage): { host: string | undefined; contentLength: string | undefined } {
  const raw = req.rawHeaders;
  let host: string | undefined;
  let contentLength: string | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    if (name.length === 4 && host === undefined && name.toLowerCase() === 'host') host = raw[index + 1];
    else if (name.length === 14 && contentLength === undefined && name.toLowerCase() === 'content-length')
      contentLength = raw[index + 1];
  }
  return { host, contentLength };
}

/**
 * The body an Express/Connect body parser already consumed and left on `req.body`, as bytes
 * (objects re-serialised as JSON), or `undefined` when the stream is still to be read.
 */
function parsedBody(req: IncomingMessage): Uint8Array<ArrayBuffer> | undefined {
  const parsed = (req as { body?: unknown }).body;
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
  if (parsed === undefined || !consumed) return undefined;
  if (typeof parsed === 'string') return encoder.encode(parsed);
  return parsed instanceof Uint8Array ? new Uint8Array(parsed) : encoder.encode(JSON.stringify(parsed));
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
            controller.enqueue(
              typeof chunk === 'string'
                ? encoder.encode(chunk)
                : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength),
            );
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
            if (!state.cancelled && !req.complete)
              controller.error(new Error('The client closed the connection before sending the whole body.'));
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

/** Headers for a body taken from `req.body`: its real length, no chunking, so size limits still apply. */
function withParsedLength(headers: Headers, bytes: Uint8Array<ArrayBuffer>): Headers {
  headers.set('content-length', String(bytes.byteLength));
  headers.delete('transfer-encoding');
  return headers;
}

/**
 * Builds a Web Request from a node:http request, for any Web handler. When Express/Connect
 * middleware has already consumed the stream and left `req.body`, that body is used with a
 * matching Content-Length, so the handler's size limit and checks still apply.
 */
export function toRequest(req: IncomingMessage, baseUrl: string | undefined, state: BodyState): Request {
  const method = req.method ?? 'GET';
  const headers = requestHeaders(req);
  let body: BodyInit | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = parsedBody(req);
    if (parsed !== undefined) {
      withParsedLength(headers, parsed);
      body = parsed;
    } else {
      body = streamBody(req, state);
    }
  }
  return new Request(requestUrl(req, baseUrl), { method, headers, body, duplex: 'half' } as RequestInit);
}

/** What the bodyless path knows about a request before the core runs. */
export interface NodeRequestHead {
  request: Request;
  /** The declared Content-Length, if any (first value, as `req.headers` has it). */
  contentLength: string | undefined;
  /** The body a body parser left on `req.body`, as bytes, if any. */
  parsed: Uint8Array | undefined;
  /** Set once the whole declared body was taken from the stream's buffer: nothing is left to drain. */
  bodyTaken?: boolean;
}

/**
 * Builds the Request the identity core sees under `toNodeHandler`: the real method, URL and
 * headers, and no body (its `body` is `null`): the core reads the body with {@link readNodeBody}.
 * With a body from `req.body`, the headers say its length, as {@link toRequest} does. It is a
 * {@link lazyRequest}: the real Request is only built if the app reads more than method, URL and headers.
 */
export function bodylessRequest(req: IncomingMessage, baseUrl: string | undefined): NodeRequestHead {
  const method = req.method ?? 'GET';
  const parsed = method === 'GET' || method === 'HEAD' ? undefined : parsedBody(req);
  const { host, contentLength } = headFields(req);
  const headers = (): Headers =>
    parsed === undefined ? requestHeaders(req) : withParsedLength(requestHeaders(req), parsed);
  return { request: lazyRequest(method, requestUrl(req, baseUrl, host).href, headers), contentLength, parsed };
}

/** The body, already whole in the stream's buffer: taken at once, without listeners. */
function readBuffered(req: IncomingMessage, maxBytes: number): string {
  const chunk = req.read() as Uint8Array | string | null;
  if (chunk === null) return '';
  const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return decodeBody([bytes], bytes.byteLength);
}

/**
 * The body as it streams in, counted chunk by chunk: 413 as soon as it passes `maxBytes` (later
 * chunks are then ignored and left to the drain). A client that hangs up midway closes the request
 * ('close' comes with any stream error, so it alone tells). The listeners stay: they are done with
 * once the request ends, and removing them costs more than leaving them.
 */
function readStreamed(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    req.on('data', (chunk: Uint8Array | string) => {
      if (settled) return;
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      total += bytes.byteLength;
      if (total > maxBytes) {
        settled = true;
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(bytes);
    });
    req.once('end', () => {
      if (settled) return;
      settled = true;
      try {
        resolve(decodeBody(chunks, total));
      } catch (error) {
        reject(error);
      }
    });
    req.once('close', () => {
      if (settled || req.complete) return;
      settled = true;
      reject(new Error('The client closed the connection before sending the whole body.'));
    });
    if (req.destroyed && !req.complete) {
      settled = true;
      reject(new Error('The client closed the connection before sending the whole body.'));
      return;
    }
    req.resume();
  });
}

/** Whether the whole body sits in the stream's buffer, unread. */
function isBuffered(req: IncomingMessage): boolean {
  return req.complete && req.readableFlowing !== true;
}

/**
 * Whether the stream's buffer holds all the bytes Content-Length declares (the parser may not have
 * marked the request complete yet). The parser passes on no more than that, so it is the whole body.
 */
function holdsDeclaredBody(req: IncomingMessage, contentLength: string | undefined): boolean {
  const length = declaredLength(contentLength);
  return length !== undefined && req.readableFlowing !== true && req.readableLength >= length;
}

/**
 * Reads the request body (or `head.parsed`, the one a body parser left) as strict UTF-8 text, with
 * the limits of the Web path: a declared Content-Length over `maxBytes` → 413 before reading; bytes
 * counted as they arrive → 413 as soon as they pass `maxBytes` (the rest is left to the drain);
 * not UTF-8 → 400; the client hanging up midway → an error (500). Answers at once (no promise)
 * when the body is at hand; throws or rejects with the problems above.
 */
export function readNodeBody(req: IncomingMessage, head: NodeRequestHead, maxBytes: number): string | Promise<string> {
  const { parsed } = head;
  if (parsed !== undefined) {
    if (parsed.byteLength > maxBytes) throw tooLarge(maxBytes);
    return decodeBody([parsed], parsed.byteLength);
  }
  if (declaresTooMuch(head.contentLength, maxBytes)) throw tooLarge(maxBytes);
  // Consumed by earlier middleware that kept nothing: there is nothing left to read.
  if (req.readableEnded) return '';
  // Whole already when the app's `authenticate` awaited something (the parser went on meanwhile).
  if (isBuffered(req)) return readBuffered(req, maxBytes);
  // During the 'request' event the parser has not reached the body yet; one microtask later a body
  // that came with the headers is in the buffer, and is taken without listeners or stream events.
  return Promise.resolve().then(() => {
    if (!isBuffered(req) && !holdsDeclaredBody(req, head.contentLength)) return readStreamed(req, maxBytes);
    head.bodyTaken = true;
    return readBuffered(req, maxBytes);
  });
}
