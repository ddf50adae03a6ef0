import { EmbedError } from '../errors.js';
import type { VendorAdapter, VendorLoader } from './contract.js';

// Empty until an entry registers adapters: `embed-dashboard/define` adds the four built-in ones as
// lazy chunks (src/vendors/builtins.ts), `embed-dashboard/vendors/<name>` adds one statically. A
// bundle that never imports an adapter's module never contains it, with or without code splitting.
const loaders = new Map<string, VendorLoader>();

const VENDOR_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Adds (or replaces) a vendor adapter, usable as `<embed-dashboard vendor="name">`.
 * @param name lower-case letters, digits and dashes, starting with a letter.
 * @param loader returns the adapter, or a module whose default export is one (a dynamic import).
 */
export function registerVendor(name: string, loader: VendorLoader): void {
  if (!VENDOR_NAME.test(name)) {
    throw new EmbedError(
      'invalid-attribute',
      `registerVendor: "${name}" is not a valid vendor name; use lower-case letters, digits and dashes, starting with a letter.`,
      { attribute: 'vendor' },
    );
  }
  if (typeof loader !== 'function') {
    throw new EmbedError(
      'invalid-attribute',
      `registerVendor("${name}"): the loader must be a function returning the adapter (e.g. () => import('./my-adapter.js')).`,
      { attribute: 'vendor' },
    );
  }
  loaders.set(name, loader);
}

/** The names of every vendor that can be embedded now. */
export function vendorNames(): string[] {
  return [...loaders.keys()];
}

export function hasVendor(name: string): boolean {
  return loaders.has(name);
}

/** The `unknown-vendor` error for `name`, listing what can be used instead. */
export function unknownVendor(name: string): EmbedError {
  return new EmbedError(
    'unknown-vendor',
    `The vendor "${name}" is not known: use one of ${vendorNames().join(', ') || '(none registered)'}, import 'embed-dashboard/vendors/${name}' for a built-in one, or add it with registerVendor().`,
    { attribute: 'vendor' },
  );
}

/** Loads the adapter for `name`, or throws `unknown-vendor` / `vendor`. */
export async function loadVendor(name: string): Promise<VendorAdapter> {
  const loader = loaders.get(name);
  if (!loader) throw unknownVendor(name);
  let loaded: VendorAdapter | { default: VendorAdapter };
  try {
    loaded = await loader();
  } catch (cause) {
    throw new EmbedError('vendor', `The ${name} adapter failed to load: ${(cause as Error)?.message ?? cause}`, {
      retriable: true,
      cause,
    });
  }
  const adapter = 'default' in loaded ? loaded.default : loaded;
  if (!adapter || typeof adapter.mount !== 'function') {
    throw new EmbedError(
      'vendor',
      `The ${name} adapter has no mount() function; a loader must resolve to {mount(container, context)} or a module exporting it as default.`,
    );
  }
  return adapter;
}
