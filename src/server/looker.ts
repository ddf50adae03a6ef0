/**
 * Looker: API client (cached single-flight logins, sudo tokens, cookieless embed sessions, SSO URLs),
 * signed embed URLs, the identity provider for the identity endpoint, and the acquire / generate
 * endpoints Looker's official browser SDK calls (`sdkHandlers`).
 * Exposed as the `looker` namespace of `embed-dashboard/server`.
 */
export { createClient } from './looker/client.js';
export type {
  AcquireSessionOptions,
  CookielessRequestOptions,
  LookerCall,
  LookerClient,
  LookerClientOptions,
} from './looker/client.js';
export { signEmbedUrl, createNonce, embedUrlStringToSign } from './looker/signed-url.js';
export type { SignEmbedUrlOptions, SignedUrlFields } from './looker/signed-url.js';
export { identityProvider, sessionKey } from './looker/provider.js';
export type { LookerProviderOptions, StoredLookerSession } from './looker/provider.js';
export { sdkHandlers } from './looker/sdk-handlers.js';
export type { LookerSdkHandlerOptions, LookerSdkHandlers } from './looker/sdk-handlers.js';
export { describeLookerError } from './looker/errors.js';
export { EARLY_EXPIRY_SECONDS } from './looker/token-cache.js';
export type {
  CookielessSession,
  CookielessSessionState,
  CookielessTokens,
  LookerEmbedUser,
  SsoEmbedUrlParams,
} from './looker/types.js';
