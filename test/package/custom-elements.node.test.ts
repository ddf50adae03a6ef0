// The editor data made at build: custom-elements.json (from the element's JSDoc) and VS Code's HTML
// custom data. Each is checked against what the element really has: its declared reactive
// properties, the events it dispatches, the parts and slots it renders, the custom properties its
// styles read (taken from the code, not from a list kept by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const manifest = JSON.parse(readFileSync(pkg.customElements, 'utf8'));
const customData = JSON.parse(readFileSync('dist/vscode.html-custom-data.json', 'utf8'));
const declaration = manifest.modules
  .flatMap((module: any) => module.declarations ?? [])
  .find((item: any) => item.tagName === 'embed-dashboard');
const names = (items: { name: string }[] = []): string[] => items.map((item) => item.name).sort();
const unique = (values: string[]): string[] => [...new Set(values)].sort();

/** The element's source files, concatenated: what it dispatches and renders is read from here. */
const elementSource = readdirSync('src/element')
  .filter((name) => name.endsWith('.ts') && name !== 'jsx.ts')
  .map((name) => readFileSync(join('src/element', name), 'utf8'))
  .join('\n');

test('the manifest declares <embed-dashboard> and where it is defined', () => {
  assert.ok(declaration, 'no embed-dashboard declaration');
  const definitions = manifest.modules.flatMap((module: any) =>
    (module.exports ?? []).filter((item: any) => item.kind === 'custom-element-definition'),
  );
  assert.ok(definitions.some((item: any) => item.name === 'embed-dashboard'));
});

test('every reactive property is a member, and every attribute of one is an attribute', async () => {
  const { EmbedDashboard } = await import('../../src/element/embed-dashboard.js');
  const declared = EmbedDashboard.properties as Record<string, { attribute?: string | boolean }>;
  const members = names(declaration.members.filter((member: any) => member.privacy !== 'private'));
  for (const property of Object.keys(declared)) assert.ok(members.includes(property), `member ${property} missing`);
  const attributes = Object.entries(declared)
    .filter(([, options]) => options.attribute !== false)
    .map(([property, options]) => (typeof options.attribute === 'string' ? options.attribute : property.toLowerCase()));
  // The manifest may document more (the read-only `state` the element reflects itself), never fewer.
  for (const attribute of attributes) {
    assert.ok(names(declaration.attributes).includes(attribute), `attribute ${attribute} missing from the manifest`);
  }
  assert.deepEqual(names(customData.tags[0].attributes), names(declaration.attributes));
  for (const attribute of declaration.attributes) assert.ok(attribute.description, `${attribute.name} undocumented`);
});

test('every event the element dispatches, every slot and part it renders, every custom property it reads', () => {
  // What the element fires: the events its HTMLElementEventMap declares; each one it emits by name is among them.
  const eventMap = readFileSync('src/element/events.ts', 'utf8');
  const events = unique([...eventMap.matchAll(/'([a-z-]+)': CustomEvent</g)].map((m) => m[1]!));
  const emitted = unique(
    [...elementSource.matchAll(/(?:dispatch(?:<\w+>)?\(|embedEvent\(|emit\([\w.#]+,)\s*'([a-z-]+)'/g)].map(
      (m) => m[1]!,
    ),
  );
  for (const name of emitted) assert.ok(events.includes(name), `${name} is emitted but not in HTMLElementEventMap`);
  const parts = unique([...elementSource.matchAll(/part['"]?(?::|,)\s*'([a-z-]+)'/g)].map((m) => m[1]!));
  // Slots are made as element('slot', { name: … }) or Object.assign(createElement('slot'), { name: … }).
  const slotExpressions = [
    ...elementSource.matchAll(/(?:element\('slot', |createElement\('slot'\), )\{ name: ([^}]+) \}/g),
  ];
  const slots = unique(slotExpressions.flatMap((m) => [...m[1]!.matchAll(/'([a-z-]+)'/g)].map((n) => n[1]!)));
  const cssProperties = unique([...elementSource.matchAll(/var\((--embed-dashboard-[a-z-]+)/g)].map((m) => m[1]!));
  assert.deepEqual(emitted, ['embed-error', 'embed-expired', 'embed-ready', 'embed-token']);
  assert.ok(parts.length >= 4 && slots.length >= 2 && cssProperties.length >= 6, 'the code scan found them');
  assert.deepEqual(names(declaration.events), events);
  assert.deepEqual(names(declaration.cssParts), parts);
  assert.deepEqual(names(declaration.slots), slots);
  assert.deepEqual(names(declaration.cssProperties), cssProperties);
  // VS Code's format has no fields for these: the tag's description lists them.
  const description = customData.tags[0].description.value as string;
  for (const name of [...events, ...parts, ...slots, ...cssProperties]) {
    assert.ok(description.includes(`\`${name}\``), `${name} missing from the VS Code custom data`);
  }
});
