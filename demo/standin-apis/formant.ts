// A local stand-in for Formant's embed login (written from Formant's public docs):
// `POST /v1/admin/auth/login-embed {email, password, scope, roleId?, tokenExpirationSeconds?}` with a
// service account's credentials, answering `{accessToken}`: a real-shaped JWT (HS256, signed with a key
// only this process knows) with `iat`, `exp` and the scope. Errors carry `message`, like Formant's.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { asRecord, createCounters, json, readJson, sameSecret, type StandinApi } from './common.js';

/** Options of {@link createFormantStandin}. */
export interface FormantStandinOptions {
  /** The service account the stand-in accepts. */
  email: string;
  /** Its password (the demo generates one at start). */
  password: string;
  /** Lifetime when the request names none, in seconds (Formant's own default is not documented; 3600 here). */
  defaultExpirationSeconds?: number;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/** Signs `payload` as a compact HS256 JWT. */
export function signHs256(payload: Record<string, unknown>, key: Buffer): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

function problem(status: number, message: string): Response {
  return json(status, { message });
}

/** Checks a login-embed scope: `{tags: {key: string[] | null}, <resource>?: object | array | null}`. */
function scopeProblem(scope: unknown): string | undefined {
  const record = asRecord(scope);
  if (record !== scope) return 'scope must be an object with tags.';
  const tags = asRecord(record.tags);
  if (tags !== record.tags) return 'scope.tags must be an object (use {} for no restriction).';
  for (const [key, values] of Object.entries(tags)) {
    if (values !== null && !(Array.isArray(values) && values.every((value) => typeof value === 'string'))) {
      return `scope.tags.${key} must be an array of strings or null.`;
    }
  }
  return undefined;
}

/** Creates the Formant API stand-in. */
export function createFormantStandin(options: FormantStandinOptions): StandinApi {
  const now = options.now ?? Date.now;
  const counters = createCounters();
  const signingKey = randomBytes(32);
  const organizationId = randomUUID();

  async function loginEmbed(request: Request): Promise<Response> {
    const body = asRecord(await readJson(request));
    if (!sameSecret(body.email, options.email) || !sameSecret(body.password, options.password)) {
      return problem(401, 'Invalid email or password.');
    }
    const invalidScope = scopeProblem(body.scope);
    if (invalidScope) return problem(400, invalidScope);
    const lifetime = body.tokenExpirationSeconds ?? options.defaultExpirationSeconds ?? 3600;
    if (!(typeof lifetime === 'number' && Number.isSafeInteger(lifetime) && lifetime > 0)) {
      return problem(400, 'tokenExpirationSeconds must be a positive whole number.');
    }
    if (body.roleId !== undefined && typeof body.roleId !== 'string') return problem(400, 'roleId must be a string.');
    const iat = Math.floor(now() / 1000);
    const accessToken = signHs256(
      {
        iss: 'formant-standin',
        sub: randomUUID(),
        'formant:claims': {
          organizationId,
          type: 'embed',
          scope: body.scope,
          ...(body.roleId ? { roleId: body.roleId } : {}),
        },
        iat,
        exp: iat + lifetime,
      },
      signingKey,
    );
    return json(200, { accessToken });
  }

  return {
    async handle(request, path) {
      if (path === '/v1/admin/auth/login-embed' && request.method === 'POST') {
        counters.bump('login-embed');
        return loginEmbed(request);
      }
      return undefined;
    },
    stats: counters.snapshot,
  };
}
