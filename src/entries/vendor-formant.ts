// `embed-dashboard/vendors/formant`: registers the formant adapter alone, in the same bundle (no lazy chunk),
// for bundles without code splitting. Pair it with `embed-dashboard/element`.
import { registerVendor } from '../vendors/registry.js';
import adapter from '../vendors/formant.js';

registerVendor('formant', () => Promise.resolve(adapter));
