// Formant adapter: the external view embed (token by postMessage, never in the URL), or a custom
// module page hosted the way Formant's own app hosts it (`?auth=&module=`, refresh on request).
import type { TokenGrant, VendorAdapter, VendorEmbed, VendorMountContext } from './contract.js';
import {
  authTokenMessage,
  buildViewMessage,
  formantEmbedSrc,
  formantModuleSrc,
  isConnectionCheck,
  isTokenRefreshRequest,
  newIframeId,
  onlineMessage,
  readFormantOptions,
  readFormantToken,
  type FormantOptions,
} from './formant/messages.js';
import { createIframeChannel } from './iframe-channel.js';
import { asVendorError } from './vendor-error.js';

export type { FormantOptions, FormantViewMessage } from './formant/messages.js';
export {
  authTokenMessage,
  buildViewMessage,
  formantEmbedSrc,
  formantModuleSrc,
  isConnectionCheck,
  isTokenRefreshRequest,
  onlineMessage,
  readFormantOptions,
  readFormantToken,
} from './formant/messages.js';

/**
 * View mode: iframe at `embedUrl?iframeId=…`; on every `load` it posts `viewEmbedLoad` (a JSON string)
 * with the newest token, and `update()` posts `viewEmbedUpdate` to the same iframe (no reload).
 */
function mountView(container: HTMLElement, ctx: VendorMountContext, options: FormantOptions): VendorEmbed {
  let token = readFormantToken(ctx.grant.tokens);
  let started = false;
  const channel = createIframeChannel(container, {
    src: formantEmbedSrc(options.embedUrl, newIframeId()),
    ...options.frame,
    title: 'Formant view',
    signal: ctx.signal,
    // Each load (also a reload inside the frame) starts the view again with the newest token.
    onLoad: () => {
      started = channel.postJson(buildViewMessage('viewEmbedLoad', options, token));
    },
  });
  return {
    update({ tokens }: TokenGrant): void {
      let next: string;
      try {
        next = readFormantToken(tokens);
      } catch (error) {
        ctx.reportError(asVendorError(error, 'Formant tokens could not be read.'));
        return;
      }
      if (next === token) return;
      token = next;
      // Before the view started, post nothing: viewEmbedLoad will carry the new token.
      if (started) channel.postJson(buildViewMessage('viewEmbedUpdate', options, token));
    },
    destroy: () => channel.destroy(),
  };
}

/**
 * Custom-module mode: iframe at `embedUrl?auth=<token>&module=<name>&formant_url=<apiBaseUrl>`, hosted
 * the way Formant's own app hosts modules:
 * - after every `load` it posts `{type: "auth_token", token}` with the newest token: a module that
 *   reloads or navigates starts again from the `?auth=` token in its URL, expired by then;
 * - it answers `{type: "refresh_auth_token", module}` with `auth_token` from the shared session, and
 *   pushes `auth_token` on `update()` too (the module accepts it at any time);
 * - it answers `{type: "formant_online"}` (`App.checkConnection()`) with `{type: "formant_online", online}`.
 */
function mountModule(
  container: HTMLElement,
  ctx: VendorMountContext,
  options: FormantOptions,
  module: string,
): VendorEmbed {
  let token = readFormantToken(ctx.grant.tokens);
  const channel = createIframeChannel(container, {
    src: formantModuleSrc(options.embedUrl, token, module, options.moduleParams, options.apiBaseUrl),
    ...options.frame,
    title: `Formant module ${module}`,
    signal: ctx.signal,
    onLoad: () => {
      channel.post(authTokenMessage(token));
    },
    onMessage: (message) => {
      if (isConnectionCheck(message)) {
        channel.post(onlineMessage(navigator.onLine));
        return;
      }
      if (!isTokenRefreshRequest(message, module)) return;
      ctx
        .getTokens()
        .then(({ tokens }) => {
          token = readFormantToken(tokens);
          channel.post(authTokenMessage(token));
        })
        .catch((error: unknown) => {
          if (!channel.destroyed) ctx.reportError(asVendorError(error, 'Formant module token refresh failed.'));
        });
    },
  });
  return {
    update({ tokens }: TokenGrant): void {
      try {
        token = readFormantToken(tokens);
      } catch (error) {
        ctx.reportError(asVendorError(error, 'Formant tokens could not be read.'));
        return;
      }
      channel.post(authTokenMessage(token));
    },
    destroy: () => channel.destroy(),
  };
}

/**
 * The Formant adapter. Tokens: `{accessToken}` (a JWT from Formant's login-embed). Options: see
 * {@link FormantOptions} — `viewId` (default `dashboard-id`), `deviceIds`, `moduleId`, `apiBaseUrl`,
 * `themeOverride`, `timeRange`, `message` (extra fields), `embedUrl`, `module`, `moduleParams`,
 * `sandbox`, `allow`.
 */
export const formantAdapter: VendorAdapter = {
  mount(container: HTMLElement, ctx: VendorMountContext): VendorEmbed {
    const options = readFormantOptions(ctx.options, ctx.dashboardId);
    return options.module === undefined
      ? mountView(container, ctx, options)
      : mountModule(container, ctx, options, options.module);
  },
};

export default formantAdapter;
