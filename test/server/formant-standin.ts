// A local stand-in for Formant's auth API (its behaviour as docs/vendors.md describes it), shared by the
// Formant tests: constants, real-shaped JWTs, and the stand-in with its hooks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import type { EmbedServerError } from '../../src/server/errors.js';
import { rejection } from './rejection.js';
import { startStandin, type RecordedRequest, type Standin } from './standin-server.js';

export const EMAIL = 'embed-bot@acme.test';
export const PASSWORD = 'S3rvice-Acc0unt"Pa$$/word';
export const REFRESH_TOKEN = 'rt-5b8f0a1c-secret-refresh';
/** The stand-in's clock, in seconds: tokens expire at NOW_S + lifetime. */
export const NOW_S = Date.parse('2026-11-22T10:00:00.000Z') / 1000;
export const DEFAULT_TTL = 3600;

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A real-shaped JWT (HS256 header, random signature: nobody checks it here). */
export function jwt(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.${randomBytes(32).toString('base64url')}`;
}

export const isoAt = (seconds: number) => new Date(seconds * 1000).toISOString();

type Recorded = RecordedRequest<Record<string, unknown>>;
type Answer = { status: number; body?: unknown; raw?: string };

/** A stand-in for Formant's auth API: records each request and answers like the vendor. */
export class FormantStandIn {
  override: ((request: Recorded) => Answer) | undefined;
  issued: string[] = [];
  /** The stand-in's clock in seconds (tokens get `iat` = this, `exp` = this + lifetime); reset to NOW_S. */
  clockS = NOW_S;
  private server: Standin<Record<string, unknown>> | undefined;

  get url(): string {
    return this.server?.url ?? '';
  }

  get requests(): Recorded[] {
    return this.server?.requests ?? [];
  }

  async start(): Promise<void> {
    this.server = await startStandin<Record<string, unknown>>(
      (request) => {
        const answer = this.override ? this.override(request) : this.vendor(request);
        // Formant answers JSON: an answer without a body is `{}`.
        return answer.raw === undefined ? { status: answer.status, body: answer.body ?? {} } : answer;
      },
      (text) => (text ? JSON.parse(text) : {}),
    );
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  reset(): void {
    this.requests.length = 0;
    this.override = undefined;
    this.clockS = NOW_S;
  }

  private token(body: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
    const ttl = typeof body.tokenExpirationSeconds === 'number' ? body.tokenExpirationSeconds : DEFAULT_TTL;
    const token = jwt({
      sub: 'user-1',
      'formant:claims': { organizationId: 'org-1' },
      iat: this.clockS,
      exp: this.clockS + ttl,
      ...extra,
    });
    this.issued.push(token);
    return token;
  }

  private vendor(request: Recorded): Answer {
    const { body } = request;
    if (request.method !== 'POST') return { status: 405, body: { message: 'Method not allowed' } };
    const signedIn = body.email === EMAIL && body.password === PASSWORD;
    const authentication = () => ({ accessToken: this.token(body), organizationId: 'org-1', userId: 'user-1' });
    switch (request.path) {
      case '/v1/admin/auth/login-embed':
        if (!signedIn) return { status: 401, body: { message: 'Invalid email or password' } };
        if (body.roleId === 'forbidden-role') return { status: 403, body: { message: 'Forbidden' } };
        return { status: 200, body: { accessToken: this.token(body, { 'formant:scope': body.scope }) } };
      case '/v1/admin/auth/login':
        if (!signedIn) return { status: 401, body: { message: 'Invalid email or password' } };
        return { status: 200, body: { authentication: { ...authentication(), refreshToken: REFRESH_TOKEN } } };
      case '/v1/admin/auth/refresh':
        if (body.refreshToken !== REFRESH_TOKEN) return { status: 401, body: { message: 'Invalid refresh token' } };
        return { status: 200, body: { authentication: authentication() } };
      default:
        return { status: 404, body: { message: 'Not found' } };
    }
  }
}

/**
 * Starts a Formant stand-in for this test file (reset before each test) and returns it with the
 * service account's credentials and `rejects`, which asserts a rejection that never mentions a secret.
 */
export function useFormantStandIn() {
  const standIn = new FormantStandIn();
  before(() => standIn.start());
  after(() => standIn.stop());
  beforeEach(() => standIn.reset());
  const credentials = () => ({ email: EMAIL, password: PASSWORD, apiBaseUrl: standIn.url });
  async function rejects(
    promise: Promise<unknown>,
    expected: { code: string; status?: number; message?: RegExp },
  ): Promise<EmbedServerError> {
    const error = await rejection(promise);
    assert.equal(error.code, expected.code, error.message);
    if (expected.status !== undefined) assert.equal(error.status, expected.status);
    if (expected.message) assert.match(error.message, expected.message);
    const texts = [
      error.message,
      error.vendorMessage ?? '',
      error.vendorCode ?? '',
      error.stack ?? '',
      JSON.stringify({ ...error }),
    ];
    for (const secret of [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), REFRESH_TOKEN, ...standIn.issued]) {
      for (const text of texts) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
    }
    return error;
  }
  return { standIn, credentials, rejects };
}
