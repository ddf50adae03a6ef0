// Registers the four built-in adapters as lazy chunks: a page that embeds one vendor downloads only
// that vendor's code (bundlers that split code, and the script-tag build). Imported by
// `embed-dashboard/define` and `embed-dashboard/vendors`.
import { registerVendor } from './registry.js';

registerVendor('vizzly', () => import('./vizzly.js'));
registerVendor('databrain', () => import('./databrain.js'));
registerVendor('formant', () => import('./formant.js'));
registerVendor('looker', () => import('./looker.js'));
