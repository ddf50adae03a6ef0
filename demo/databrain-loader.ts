// DataBrain's real plugin, loaded the way an app loads it: the app's own import(), which its bundler
// resolves (the SDK never imports the plugin itself, so apps without DataBrain still build). Runs before
// <embed-dashboard> is defined, so the first mount already has it. With the local stand-in the page
// sets `moduleUrl` instead, and the demo's bundle leaves this import external and never runs it.
import type { EmbedDashboard } from '../src/index.js';

for (const embed of document.querySelectorAll<EmbedDashboard>('embed-dashboard[vendor="databrain"]')) {
  const configured = JSON.parse(embed.getAttribute('vendor-options') || '{}') as Record<string, unknown>;
  if (configured['moduleUrl'] === undefined && configured['scriptUrl'] === undefined) {
    embed.options = { loadPlugin: () => import('@databrainhq/plugin/web') };
  }
}
