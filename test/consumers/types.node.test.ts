// The package's typings as consumers' type checkers see them, from the packed package: `tsc --strict`
// of a React 19 file (the wrapper, the bare element in React.JSX, and React's own StrictMode still
// there), `moduleResolution: node` resolving every subpath, and vue-tsc checking a template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createConsumer, repoRoot } from '../../scripts/packed-consumer.mjs';

/** Runs a type checker from this repo's node_modules in `dir`; resolves to its exit code and output. */
function check(bin: string, dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', bin), '-p', 'tsconfig.json', '--noEmit'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const STRICT = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
};

test('tsc --strict: a React 19 app using the wrapper and <embed-dashboard> itself, with React’s own types intact', () => {
  const app = createConsumer('react-types', {
    dependencies: ['@types/react', '@types/react-dom', 'react'],
    files: {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { ...STRICT, module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx', types: [] },
        include: ['app.tsx'],
      }),
      'app.tsx': `import { StrictMode, useMemo, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { EmbedDashboard } from 'embed-dashboard/react';
import type { EmbedErrorDetail } from 'embed-dashboard';

export function App({ region }: { region: string }): ReactElement {
  const context = useMemo(() => ({ region }), [region]);
  return (
    <StrictMode>
      <EmbedDashboard
        vendor="looker"
        identityUrl="/api/embed/identity"
        dashboardId="42"
        context={context}
        onEmbedReady={(event) => console.log(event.detail.vendor)}
        onEmbedError={(event) => report(event.detail)}
      />
      <embed-dashboard vendor="vizzly" identity-url="/api/embed/identity" context={context}
        onembed-token={(event) => console.log(event.detail.expiresAt)} />
      {/* @ts-expect-error dashboardId is a string */}
      <EmbedDashboard vendor="vizzly" dashboardId={42} />
      {/* @ts-expect-error React 19 sets it as a property: an object, not a string */}
      <embed-dashboard vendor="vizzly" context="region=eu" />
      {/* @ts-expect-error the detail has no tokens, by design */}
      <EmbedDashboard vendor="vizzly" onEmbedToken={(event) => event.detail.tokens} />
    </StrictMode>
  );
}

function report(detail: EmbedErrorDetail): void {
  console.error(detail.code, detail.retriable);
}

createRoot(document.body).render(<App region="eu" />);
`,
    },
  });
  try {
    const { status, output } = check('typescript/bin/tsc', app.dir);
    assert.equal(status, 0, output);
  } finally {
    app.remove();
  }
});

test('moduleResolution node (TypeScript’s old "node10") resolves every subpath through typesVersions', () => {
  const app = createConsumer('node10-types', {
    dependencies: ['@types/node'],
    files: {
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          ...STRICT,
          module: 'CommonJS',
          moduleResolution: 'node',
          ignoreDeprecations: '5.0',
          types: ['node'],
        },
        include: ['server.ts'],
      }),
      'server.ts': `import { createIdentityHandler, toNodeHandler, vizzly, type SessionStore } from 'embed-dashboard/server';
import { TokenSession } from 'embed-dashboard/engine';
import type { LookerOptions } from 'embed-dashboard';
import type { EmbedDashboard } from 'embed-dashboard/define';

const options: LookerOptions = { host: 'example.looker.com', params: { theme: 'Dark' } };
export const handler = toNodeHandler(createIdentityHandler({ authenticate: async () => null, vendors: {} }));
export const sign = vizzly.createSigner;
export const session = TokenSession;
export const element: EmbedDashboard | null = null;
export { options };
export const store: SessionStore<string> | null = null;
`,
    },
  });
  try {
    const { status, output } = check('typescript/bin/tsc', app.dir);
    assert.equal(status, 0, output);
  } finally {
    app.remove();
  }
});

test('vue-tsc checks <embed-dashboard> in a template: bindings and @embed-* listeners typed', () => {
  const app = createConsumer('vue-types', {
    dependencies: ['vue'],
    files: {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { ...STRICT, module: 'ESNext', moduleResolution: 'bundler', jsx: 'preserve', types: [] },
        include: ['main.ts', 'App.vue'],
      }),
      'main.ts': `import { createApp } from 'vue';
import 'embed-dashboard/define';
import { isCustomElement } from 'embed-dashboard/vue';
import App from './App.vue';

const app = createApp(App);
app.config.compilerOptions.isCustomElement = isCustomElement;
app.mount('#app');
`,
      'shims.d.ts': '',
      'App.vue': `<script setup lang="ts">
import { ref } from 'vue';
import type { EmbedReadyDetail } from 'embed-dashboard';
const context = ref({ region: 'eu' });
function onReady(event: CustomEvent<EmbedReadyDetail>): void {
  console.log(event.detail.vendor);
}
</script>

<template>
  <embed-dashboard vendor="looker" identity-url="/api/embed/identity" :dashboard-id="'42'"
    :context="context" @embed-ready="onReady" @embed-error="(event) => console.log(event.detail.code)" />
  <!-- @vue-expect-error credentials is 'same-origin' | 'include' | 'omit' -->
  <embed-dashboard vendor="looker" credentials="everywhere" />
  <!-- @vue-expect-error the token event's detail has no tokens -->
  <embed-dashboard vendor="looker" @embed-token="(event) => event.detail.tokens" />
</template>
`,
    },
  });
  try {
    const { status, output } = check('vue-tsc/bin/vue-tsc.js', app.dir);
    assert.equal(status, 0, output);
  } finally {
    app.remove();
  }
});
