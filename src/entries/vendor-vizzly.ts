// `embed-dashboard/vendors/vizzly`: registers the vizzly adapter alone, in the same bundle (no lazy chunk),
// for bundles without code splitting. Pair it with `embed-dashboard/element`.
import { registerVendor } from '../vendors/registry.js';
import adapter from '../vendors/vizzly.js';

registerVendor('vizzly', () => Promise.resolve(adapter));
