// `embed-dashboard/vendors/looker`: registers the looker adapter alone, in the same bundle (no lazy chunk),
// for bundles without code splitting. Pair it with `embed-dashboard/element`.
import { registerVendor } from '../vendors/registry.js';
import adapter from '../vendors/looker.js';

registerVendor('looker', () => Promise.resolve(adapter));
