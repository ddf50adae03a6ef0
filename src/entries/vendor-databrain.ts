// `embed-dashboard/vendors/databrain`: registers the databrain adapter alone, in the same bundle (no lazy chunk),
// for bundles without code splitting. Pair it with `embed-dashboard/element`.
import { registerVendor } from '../vendors/registry.js';
import adapter from '../vendors/databrain.js';

registerVendor('databrain', () => Promise.resolve(adapter));
