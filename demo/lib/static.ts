// Serving the demo's files: a whitelisted folder at a time, never a path outside it.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Sends a body with the usual headers: no caching (the demo is rebuilt on every start), no sniffing. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

/** A plain-text 404. */
export function notFound(res: ServerResponse): void {
  send(res, 404, 'Not found\n', 'text/plain; charset=utf-8');
}

/**
 * Serves `relativePath` from `folder` when it is a file with a known type inside that folder; answers 404
 * otherwise (also for `..` tricks and unknown extensions, so no source file is served by accident).
 */
export async function serveFile(res: ServerResponse, folder: string, relativePath: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return notFound(res);
  }
  const base = resolve(folder);
  const path = resolve(base, `.${sep}${decoded}`);
  const type = TYPES[extname(path)];
  if (!path.startsWith(base + sep) || !type) return notFound(res);
  try {
    if (!(await stat(path)).isFile()) return notFound(res);
    send(res, 200, await readFile(path), type);
  } catch {
    notFound(res);
  }
}
