// The Vizzly signer: one imported key, three token kinds, all sharing one expiry when made together.
import { check } from '../errors.js';
import {
  dashboardPayload,
  queryEnginePayload,
  type DashboardAccessClaims,
  type PayloadContext,
  type QueryEngineClaims,
} from './claims.js';
import { dataPayload, type DataClaims } from './data.js';
import { signEs256 } from './es256.js';
import { checkCryptoKey, importSigningKey, isCryptoKey, pemToPkcs8 } from './key.js';
import { invalidKey } from './pem.js';
import { isPlainObject, onlyKeys } from './validate.js';

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /**
   * Your Vizzly private key: PEM text in SEC1 (`-----BEGIN EC PRIVATE KEY-----`, what Vizzly's CLI
   * writes) or PKCS#8 (`-----BEGIN PRIVATE KEY-----`) form, or a WebCrypto ECDSA P-256 private CryptoKey.
   * Keep it on the server (e.g. an environment variable; literal `\n` in it are read as line breaks).
   */
  privateKey: string | CryptoKey;
  /**
   * How long tokens stay valid, in MINUTES. Vizzly re-asks for tokens on its own timer (every 5 to 20
   * minutes depending on the version) and keeps the old ones when that fails, so allow a comfortable margin
   * (60 is a good choice).
   */
  ttlMinutes: number;
  /** Your Vizzly project id (`prj_…`): put into dashboard tokens (current form) and into data and query-engine tokens. */
  projectId?: string;
  /** Clock in epoch milliseconds (default `Date.now`); inject one in tests. */
  now?: () => number;
}

/** The claims for {@link VizzlySigner.generateTokens}: a dashboard token always, the others when given. */
export interface TokenClaims {
  /** Dashboard access claims (required). */
  dashboard: DashboardAccessClaims;
  /** Data access claims; needed with Vizzly's self-hosted query engine. */
  data?: DataClaims;
  /** Query-engine access claims; for users of the config manager. */
  queryEngine?: QueryEngineClaims;
}

/** Exactly what Vizzly's `identity()` must resolve to: absent tokens are left out, never null or empty. */
export type VizzlyTokens = {
  dashboardAccessToken: string;
  dataAccessToken?: string;
  queryEngineAccessToken?: string;
};

/** What {@link VizzlySigner.generateTokens} returns. */
export interface GeneratedTokens {
  /** The tokens, ready to hand to Vizzly's `identity()`. */
  tokens: VizzlyTokens;
  /** When all the tokens expire (ISO time, the `expires` claim they share). */
  expiresAt: string;
}

/** Signs Vizzly access tokens (ES256 JWTs) with one private key. */
export interface VizzlySigner {
  /** Token lifetime in minutes, as configured. */
  readonly ttlMinutes: number;
  /** The configured project id, if any. */
  readonly projectId: string | undefined;
  /** The signer's clock (epoch ms), which the provider's token reuse also goes by. */
  readonly now: () => number;
  /** Resolves once the key is imported; rejects with `invalid-key` if WebCrypto refuses it. Call at startup to fail fast. */
  ready(): Promise<void>;
  /** Signs a dashboard access token (current or legacy claims). */
  signDashboardAccessToken(claims: DashboardAccessClaims): Promise<string>;
  /** Signs a data access token. */
  signDataAccessToken(claims: DataClaims): Promise<string>;
  /** Signs a query-engine access token. */
  signQueryEngineAccessToken(claims: QueryEngineClaims): Promise<string>;
  /** Checks all claims first, then signs every requested token with one shared expiry. */
  generateTokens(claims: TokenClaims): Promise<GeneratedTokens>;
}

const MAX_TTL_MINUTES = 525_600;

/** Imports the key once; the PEM is read synchronously so a wrong key fails at createSigner(). */
function loadKey(privateKey: unknown): Promise<CryptoKey> {
  if (isCryptoKey(privateKey)) return Promise.resolve(checkCryptoKey(privateKey));
  if (typeof privateKey !== 'string') {
    invalidKey(
      'privateKey must be PEM text (-----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----) or an ECDSA P-256 CryptoKey.',
    );
  }
  const key = importSigningKey(pemToPkcs8(privateKey));
  key.catch(() => {}); // reported to whoever signs (or calls ready()), not as an unhandled rejection
  return key;
}

/**
 * Creates a Vizzly token signer. Reads and checks the private key right away (throws `invalid-key`
 * for a wrong key, never quoting it) and imports it once for all later tokens.
 *
 * @example
 * const signer = vizzly.createSigner({ privateKey: process.env.VIZZLY_PRIVATE_KEY!, ttlMinutes: 60, projectId: 'prj_…' });
 * const { tokens, expiresAt } = await signer.generateTokens({
 *   dashboard: { userReference: user.id, scope: 'read_write' },
 *   data: { dataSetIds: '*', secureFilters: { dts_sales: [{ field: 'tenant', op: '=', value: user.tenantId }] } },
 * });
 */
export function createSigner(options: SignerOptions): VizzlySigner {
  check(
    isPlainObject(options),
    'vizzly.createSigner(options): options must be an object like {privateKey, ttlMinutes, projectId?}.',
    'vizzly',
  );
  onlyKeys(options, ['privateKey', 'ttlMinutes', 'projectId', 'now'], 'vizzly.createSigner(options)');
  const { ttlMinutes, projectId } = options;
  check(
    typeof ttlMinutes === 'number' && ttlMinutes > 0 && ttlMinutes <= MAX_TTL_MINUTES,
    `vizzly.createSigner(options): ttlMinutes must be a positive number of MINUTES, at most ${MAX_TTL_MINUTES} (a year), e.g. 60; got ${String(ttlMinutes)}.`,
    'vizzly',
  );
  check(
    projectId === undefined || (typeof projectId === 'string' && projectId.trim() !== ''),
    'vizzly.createSigner(options): projectId must be a non-empty string (prj_…) when given.',
    'vizzly',
  );
  const now = options.now ?? Date.now;
  check(
    typeof now === 'function',
    'vizzly.createSigner(options): now must be a function returning epoch milliseconds.',
    'vizzly',
  );
  const key = loadKey(options.privateKey);

  const context = (): PayloadContext => {
    const time = now();
    check(Number.isFinite(time), 'vizzly.createSigner(options): now() must return epoch milliseconds.', 'vizzly');
    return { projectId, expires: new Date(time + ttlMinutes * 60_000).toISOString() };
  };
  const sign = async (payload: object): Promise<string> => signEs256(await key, payload);

  return {
    ttlMinutes,
    projectId,
    now,
    ready: async () => {
      await key;
    },
    signDashboardAccessToken: async (claims) => sign(dashboardPayload(claims, context())),
    signDataAccessToken: async (claims) => sign(dataPayload(claims, context())),
    signQueryEngineAccessToken: async (claims) => sign(queryEnginePayload(claims, context())),
    generateTokens: async (claims) => {
      check(
        isPlainObject(claims),
        'vizzly generateTokens(claims): claims must be an object like {dashboard: {...}, data?: {...}, queryEngine?: {...}}.',
        'vizzly',
      );
      onlyKeys(claims, ['dashboard', 'data', 'queryEngine'], 'vizzly generateTokens(claims)');
      check(
        claims.dashboard !== undefined,
        'vizzly generateTokens(claims): dashboard claims are required ({dashboard: {userReference, ...}}).',
        'vizzly',
      );
      const shared = context();
      // Every payload is checked before anything is signed: one bad claim fails the whole call.
      const dashboard = dashboardPayload(claims.dashboard, shared);
      const data = claims.data === undefined ? undefined : dataPayload(claims.data, shared);
      const queryEngine = claims.queryEngine === undefined ? undefined : queryEnginePayload(claims.queryEngine, shared);
      const [dashboardAccessToken, dataAccessToken, queryEngineAccessToken] = await Promise.all([
        sign(dashboard),
        data && sign(data),
        queryEngine && sign(queryEngine),
      ]);
      const tokens: VizzlyTokens = { dashboardAccessToken };
      if (dataAccessToken) tokens.dataAccessToken = dataAccessToken;
      if (queryEngineAccessToken) tokens.queryEngineAccessToken = queryEngineAccessToken;
      return { tokens, expiresAt: shared.expires };
    },
  };
}
