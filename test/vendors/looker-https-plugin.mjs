// A web-test-runner plugin that runs the Looker https host (looker-https-standin.ts) for the browser
// tests of Looker's official embed SDK, and bundles that SDK (CommonJS) into an ES module for them:
// - GET /__looker/host.json → {origin} of the running https host;
// - GET /__bundles/looker-embed-sdk.js → @looker/embed-sdk with @looker/chatty, as ES module exports.
// The certificate is made when the config loads, so Chromium can be told to trust exactly its key.
import { bundleBrowserModule } from '../helpers/browser-module.mjs';
import { tsImport } from 'tsx/esm/api';

const standinModule = () => tsImport('./looker-https-standin.ts', import.meta.url);

function bundleEmbedSdk() {
  return bundleBrowserModule(
    "export { getEmbedSDK, LookerEmbedExSDK } from '@looker/embed-sdk';",
    'looker-embed-sdk-entry.js',
    { define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEBUG': 'undefined' } },
  );
}

/**
 * Makes the certificate and returns the Chromium flag that trusts its key (and only it) together with
 * the plugin that starts the host once the dev server knows its own port.
 */
export async function lookerHttps() {
  const { makeCertificate, startLookerHttpsStandin } = await standinModule();
  const certificate = await makeCertificate();
  let host;
  let sdk;
  return {
    chromeArgs: [`--ignore-certificate-errors-spki-list=${certificate.spkiHash}`],
    plugin: {
      name: 'looker-https',
      async serverStart({ config }) {
        host = await startLookerHttpsStandin(certificate, `http://localhost:${config.port}`);
      },
      async serverStop() {
        await host?.close();
      },
      async serve(context) {
        if (context.path === '/__looker/host.json')
          return { body: JSON.stringify({ origin: host.origin }), type: 'json' };
        if (context.path === '/__bundles/looker-embed-sdk.js') {
          sdk ??= bundleEmbedSdk().catch((error) => {
            sdk = undefined;
            throw error;
          });
          return { body: await sdk, type: 'js' };
        }
        return undefined;
      },
    },
  };
}
