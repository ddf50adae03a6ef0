// VS Code's HTML custom data (https://github.com/microsoft/vscode-custom-data) from
// custom-elements.json: each element's attributes, with its events, slots, CSS parts and custom
// properties listed in the tag's description (the format has no fields of its own for them).
import { readFileSync, writeFileSync } from 'node:fs';

/** One markdown section listing `items` (name and description), or nothing when there are none. */
function section(title, items = []) {
  if (items.length === 0) return [];
  return [
    `**${title}**`,
    ...items.map((item) => `- \`${item.name}\`${item.description ? ` — ${item.description}` : ''}`),
  ];
}

/** Turns one manifest declaration of a custom element into a custom data tag. */
function toTag(declaration) {
  const description = [
    declaration.description ?? '',
    ...section('Events', declaration.events),
    ...section('Slots', declaration.slots),
    ...section('CSS parts', declaration.cssParts),
    ...section('CSS custom properties', declaration.cssProperties),
  ].join('\n\n');
  return {
    name: declaration.tagName,
    description: { kind: 'markdown', value: description },
    attributes: (declaration.attributes ?? []).map((attribute) => ({
      name: attribute.name,
      description: attribute.description ?? '',
    })),
  };
}

/**
 * Reads the manifest at `manifestPath` and writes the custom data of every custom element in it to
 * `outputPath`.
 */
export function writeCustomData(manifestPath, outputPath) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const tags = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .map(toTag);
  writeFileSync(outputPath, `${JSON.stringify({ version: 1.1, tags }, null, 2)}\n`);
}
