// A local stand-in for DataBrain's guest-token API (its behaviour as docs/vendors.md describes it),
// shared by the DataBrain tests: constants and the stand-in with its hooks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import type { EmbedServerError } from '../../src/server/errors.js';
import { rejection } from './rejection.js';
import { startStandin, type RecordedRequest, type Standin, type StandinAnswer } from './standin-server.js';

export const API_TOKEN = 'dbn_live_7f3c2a9e-secret-api-token';
export const WORKSPACE = 'acme-workspace';
export const DATA_APP = 'acme-data-app';
export const NOW = Date.parse('2026-11-22T10:00:00.000Z');

type Recorded = RecordedRequest<unknown>;

/** A stand-in for DataBrain's guest-token API: records each request and answers like the vendor. */
export class DataBrainStandIn {
  /** When set, answers the next requests with this instead of the vendor-like behaviour. */
  override: ((request: Recorded) => StandinAnswer) | undefined;
  issued: string[] = [];
  private server: Standin<unknown> | undefined;

  get url(): string {
    return this.server?.url ?? '';
  }

  get requests(): Recorded[] {
    return this.server?.requests ?? [];
  }

  async start(): Promise<void> {
    this.server = await startStandin<unknown>(
      (request) => (this.override ? this.override(request) : this.vendor(request)),
      (text) => (text ? JSON.parse(text) : undefined),
    );
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  reset(): void {
    this.requests.length = 0;
    this.override = undefined;
  }

  /** Behaves like DataBrain's documented API. */
  private vendor(request: Recorded): StandinAnswer {
    const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
    const match = /^(?:\/[\w-]+)*\/api\/(v1|v2)\/guest-token\/create$/.exec(request.path);
    if (request.method !== 'POST' || !match)
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found' } } };
    if (request.headers.authorization !== `Bearer ${API_TOKEN}`)
      return error(401, 'AUTHENTICATION_ERROR', 'Invalid API token');
    const body = request.body as Record<string, unknown>;
    if (typeof body.clientId !== 'string') return error(400, 'CLIENT_ID_ERROR', 'clientId is required');
    if (match[1] === 'v1' && body.workspaceName !== WORKSPACE)
      return error(400, 'WORKSPACE_ID_ERROR', 'Workspace not found');
    if (match[1] === 'v2' && body.dataAppName !== DATA_APP)
      return error(400, 'WORKSPACE_ID_ERROR', 'Data app not found');
    const token = randomUUID();
    this.issued.push(token);
    return { status: 200, body: { token } };
  }
}

/** Asserts a rejection with an EmbedServerError that never mentions the API token; returns it. */
export async function rejects(
  promise: Promise<unknown>,
  expected: { code: string; status?: number; vendorCode?: string; message?: RegExp },
): Promise<EmbedServerError> {
  const error = await rejection(promise);
  assert.equal(error.code, expected.code, error.message);
  if ('status' in expected) assert.equal(error.status, expected.status);
  if ('vendorCode' in expected) assert.equal(error.vendorCode, expected.vendorCode);
  if (expected.message) assert.match(error.message, expected.message);
  for (const text of [error.message, error.vendorMessage ?? '', error.stack ?? '', JSON.stringify({ ...error })]) {
    assert.ok(!text.includes(API_TOKEN), `the API token leaked into: ${text}`);
  }
  return error;
}

/**
 * Starts a DataBrain stand-in for this test file (reset before each test) and returns it with `base()`:
 * the connection options (v1) every call needs.
 */
export function useDataBrainStandIn() {
  const standIn = new DataBrainStandIn();
  before(() => standIn.start());
  after(() => standIn.stop());
  beforeEach(() => standIn.reset());
  const base = () => ({ apiToken: API_TOKEN, baseUrl: standIn.url, workspaceName: WORKSPACE, now: () => NOW });
  return { standIn, base };
}
