// The consumer apps: the same page, written as a user of each stack writes it.

/** The page every bundler builds: one Vizzly dashboard (its bundle is the loopback stand-in). */
export function indexHtml(script: string, { module = true } = {}): string {
  return `<!doctype html>
<html>
  <head><meta charset="utf-8" /><title>consumer</title></head>
  <body>
    <embed-dashboard vendor="vizzly" identity-url="/api/embed/identity" dashboard-id="dsh_1"
      vendor-options='{"scriptUrl":"/vizzly-bundle.js"}'></embed-dashboard>
    <script ${module ? 'type="module" ' : ''}src="${script}"></script>
  </body>
</html>
`;
}

/** An app for a bundler that splits code: every built-in vendor, each a lazy chunk. */
export const DEFINE_APP = `import 'embed-dashboard/define';\n`;

/** An app for a single-file bundle: the element and only the vendor it uses. */
export const ONE_VENDOR_APP = `import 'embed-dashboard/element';\nimport 'embed-dashboard/vendors/vizzly';\n`;
