// Local stand-in HTTP servers for the server tests: node:http on 127.0.0.1 (port 0), never a real vendor.
// `startStandin` records every request and answers what the test's `answer` function says.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in received it. */
export interface RecordedRequest<Body = string> {
  method: string;
  /** The request target as sent: path and query (`req.url`). */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body: its text, or what the stand-in's `parse` made of it. */
  body: Body;
}

/**
 * What the stand-in answers: `body` as JSON, or `raw` text as is (neither: an empty body), after
 * `delayMs`; `'hang'` never answers (to test timeouts).
 */
export type StandinAnswer = { status: number; body?: unknown; raw?: string; delayMs?: number } | 'hang';

/** A running stand-in. */
export interface Standin<Body = string> {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request received, in order (clear it with `requests.length = 0`). */
  requests: RecordedRequest<Body>[];
  /** Closes the server and any open connection (a hanging request included). */
  close(): Promise<void>;
}

/** A node:http server for `listener` on 127.0.0.1, on a free port. */
export async function listenOnLoopback(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return { url: `http://127.0.0.1:${port}`, server, close };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed), for "unreachable" tests. */
export async function closedUrl(): Promise<string> {
  const { url, close } = await listenOnLoopback(() => undefined);
  await close();
  return url;
}

/**
 * Starts a stand-in that reads each request's whole body, records it (body through `parse`, default:
 * the text) and answers `answer(request)`.
 */
export async function startStandin<Body = string>(
  answer: (request: RecordedRequest<Body>) => StandinAnswer,
  parse: (text: string) => Body = (text) => text as Body,
): Promise<Standin<Body>> {
  const requests: RecordedRequest<Body>[] = [];
  const { url, close } = await listenOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest<Body> = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: parse(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(recorded);
      const reply = answer(recorded);
      if (reply === 'hang') return;
      const send = () => {
        if (reply.raw !== undefined) res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.raw);
        else if (reply.body !== undefined)
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        else res.writeHead(reply.status).end();
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  return { url, requests, close };
}
