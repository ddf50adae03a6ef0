import { registerVendor } from '../../src/vendors/registry.js';
import type { TokenSet } from '../../src/token/types.js';
import type { VendorMountContext } from '../../src/vendors/contract.js';

/** What the test adapter saw, for assertions. */
export const record = {
  mounts: 0,
  destroys: 0,
  updates: [] as TokenSet[],
  contexts: [] as VendorMountContext[],
  reset() {
    this.mounts = 0;
    this.destroys = 0;
    this.updates = [];
    this.contexts = [];
  },
};

/** A vendor adapter for tests: renders the token it was given into a div. */
registerVendor('test-vendor', async () => ({
  mount(container, context) {
    record.mounts += 1;
    record.contexts.push(context);
    const view = document.createElement('div');
    view.className = 'test-embed';
    view.textContent = String(context.grant.tokens.t);
    container.append(view);
    return {
      update({ tokens }) {
        record.updates.push(tokens);
        view.textContent = String(tokens.t);
      },
      destroy() {
        record.destroys += 1;
        view.remove();
      },
    };
  },
}));

registerVendor('broken-vendor', async () => {
  throw new Error('chunk failed to load');
});
