// `embed-dashboard/define`: registers <embed-dashboard> and the four built-in vendor adapters, each a
// lazy chunk that only a page embedding that vendor downloads. Bundles without code splitting: use
// `embed-dashboard/element` and `embed-dashboard/vendors/<name>` to include only your vendor.
import './vendors/builtins.js';

export { EmbedDashboard } from './entries/element.js';
