/**
 * Vizzly, server side: sign Vizzly's access tokens (ES256 JWTs) with your private key, serve them from
 * the identity endpoint, and manage dashboard sharing. Exported as `vizzly` from `embed-dashboard/server`.
 *
 * @example
 * import { vizzly } from 'embed-dashboard/server';
 * const signer = vizzly.createSigner({ privateKey: process.env.VIZZLY_PRIVATE_KEY!, ttlMinutes: 60, projectId: 'prj_…' });
 * const provider = vizzly.identityProvider({ signer, claims: (user) => ({ dashboard: { userReference: user.id } }) });
 * @module
 */
export { createSigner } from './vizzly/signer.js';
export type { GeneratedTokens, SignerOptions, TokenClaims, VizzlySigner, VizzlyTokens } from './vizzly/signer.js';
export type {
  DashboardAccessClaims,
  DashboardClaims,
  DashboardTokenPayload,
  LegacyDashboardClaims,
  LegacyDashboardTokenPayload,
  QueryEngineClaims,
  QueryEngineTokenPayload,
  VizzlyAccessType,
  VizzlyScope,
} from './vizzly/claims.js';
export type { DataClaims, DataTokenPayload, Filter, JsonValue, SecureFilters } from './vizzly/data.js';
export { identityProvider } from './vizzly/provider.js';
export type { VizzlyProviderOptions, VizzlyProviderTokens } from './vizzly/provider.js';
export { DEFAULT_VIZZLY_API, grantPermissions, revokePermissions } from './vizzly/sharing.js';
export type { Permission, PermissionsOptions } from './vizzly/sharing.js';
