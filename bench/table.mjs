// The one benchmark table: a Markdown table (what | figure | command) from the figures bench/parse.mjs
// read out of one `npm run bench` run. A missing figure reads "not measured", never a guess.

const NOT_MEASURED = 'not measured';
const known = (...values) => values.every((value) => value !== undefined && value !== null && !Number.isNaN(value));
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const int = (value) => Math.round(value).toLocaleString('en');
const or = (values, render) => (known(...values) ? render() : NOT_MEASURED);

function sizeRows({ size, competitors }) {
  const ours = size.packed
    ? or([size.entrySplit], () => `**${kb(size.entrySplit)}** before any adapter (esbuild, code splitting)`)
    : or([size.entrySplit], () => `${kb(size.entrySplit)} (from source with Rollup, not the packed package)`);
  // Ours bundled the very way the other SDKs are (esbuild, one file), when bench/size.mjs measured it so.
  const oursOneFile = [
    known(size.entrySingle) ? `embed-dashboard, all four adapters inlined: **${kb(size.entrySingle)}**` : undefined,
    known(size.lookerSingle) ? `embed-dashboard element + Looker only: **${kb(size.lookerSingle)}**` : undefined,
  ].filter(Boolean);
  const list = competitors?.competitors;
  const others = list?.length
    ? [...oursOneFile, ...list.map((sdk) => `${sdk.name} ${sdk.version}: ${kb(sdk.typicalGzip)}`)].join('; ')
    : NOT_MEASURED;
  return [
    [
      '`embed-dashboard/define` (element + token engine + Lit), packed package, min + gzip',
      ours,
      'node bench/size.mjs',
    ],
    ['token engine alone, packed package, min + gzip', or([size.engine], () => kb(size.engine)), 'node bench/size.mjs'],
    [
      'next to other embedding SDKs, esbuild one file, min + gzip (each: the import its README starts with)',
      others,
      'node bench/size.mjs; node bench/competitors.mjs',
    ],
  ];
}

function requestRows({ embeds }) {
  const scenario = (name) => embeds?.embedsRequests?.find((item) => item.name.startsWith(name));
  const render = (item) =>
    item?.measured && known(item.perRefresh)
      ? `**${item.perRefresh.toFixed(2)}** per refresh (first load: ${item.requests.first}; every element got ${item.tokensPerElement.min}–${item.tokensPerElement.max} token sets)`
      : NOT_MEASURED;
  const tabs = scenario('5 tabs, one');
  const shared = scenario('5 tabs, share');
  return [
    [
      'identity requests, 50 `<embed-dashboard>` on one key in one page (Chromium, built dist)',
      render(scenario('50 embeds')),
      'node --import tsx bench/embeds-requests.ts',
    ],
    [
      'identity requests, 5 tabs with one embed each: `share="tabs"` / default',
      `${render(shared)} / ${render(tabs)}`,
      'node --import tsx bench/embeds-requests.ts',
    ],
  ];
}

function soakRow({ soak }) {
  const figure = or([soak.days, soak.handedExpired, soak.expiredHeldS, soak.requestsPerLifetime, soak.worstWakeS], () =>
    [
      `${soak.days} simulated days: **${soak.handedExpired}** expired tokens handed over while the endpoint could answer`,
      `**${soak.expiredHeldS} s** expired-held`,
      `${soak.requestsPerLifetime} identity requests per token lifetime`,
      `worst wake-up → fresh tokens ${soak.worstWakeS} s`,
      `timers / listeners / sessions left ${soak.left ?? NOT_MEASURED}`,
    ].join('; '),
  );
  return [['token soak (every fault of issue 9)', figure, 'node --import tsx bench/soak.ts']];
}

function serverRows({ signing, handler, vendorCalls, newUser, load }) {
  const signed = or([signing.dashboardTokens], () => {
    const parts = [`our signer (WebCrypto) **${int(signing.dashboardTokens)}** dashboard tokens/s`];
    if (known(signing.generateCalls)) parts.push(`\`generateTokens\` (3 tokens) ${int(signing.generateCalls)} calls/s`);
    parts.push(
      known(signing.nodeCrypto) ? `node:crypto \`sign\` ${int(signing.nodeCrypto)}/s` : `node:crypto ${NOT_MEASURED}`,
    );
    parts.push(
      known(signing.openssl)
        ? `\`openssl speed ecdsap256\` ${int(signing.openssl)} signs/s`
        : `openssl ${NOT_MEASURED}`,
    );
    return parts.join('; ');
  });
  const server = (mode, name) =>
    known(handler[mode]?.rps)
      ? `${name} ${int(handler[mode].rps)} req/s (p99 ${handler[mode].p99} ms` +
        (known(handler[mode].cpu) ? `, ${int(handler[mode].cpu)} µs CPU)` : ')')
      : `${name} ${NOT_MEASURED}`;
  const ratio = (value, name) => (known(value) ? `identity/${name} **${value.toFixed(2)}**` : undefined);
  const ratios = [
    ratio(handler.ratioHonoSameWork, 'Hono same work'),
    ratio(handler.ratioHonoGlobalsKept, 'Hono same work, globals kept'),
    ratio(handler.ratioHono, 'Hono'),
    known(handler.ratioBare) ? `identity/bare ${handler.ratioBare.toFixed(2)}` : undefined,
    known(handler.ratioGlobalsReplaced)
      ? `with \`overrideGlobalObjects: true\` identity/Hono same work **${handler.ratioGlobalsReplaced.toFixed(2)}**`
      : undefined,
  ].filter(Boolean);
  const servers = [
    server('identity', 'identity endpoint'),
    ...(known(handler['identity-globals-replaced']?.rps)
      ? [server('identity-globals-replaced', 'identity endpoint, globals replaced')]
      : []),
    ...(known(handler['hono-same-work']?.rps) ? [server('hono-same-work', 'Hono same work')] : []),
    ...(known(handler['hono-same-work-globals-kept']?.rps)
      ? [server('hono-same-work-globals-kept', 'Hono same work, globals kept')]
      : []),
    server('hono', 'Hono'),
    server('bare', 'bare node:http'),
  ];
  const handlerFigure = or(
    [handler.identity?.rps ?? handler['identity-globals-replaced']?.rps],
    () => servers.join('; ') + (ratios.length ? `; median ratios ${ratios.join(', ')}` : ''),
  );
  const calls = ['vizzly', 'databrain', 'formant', 'looker']
    .filter((vendor) => vendorCalls[vendor])
    .map((vendor) => {
      const { reuse, uncached } = vendorCalls[vendor];
      return `${vendor} **${int(reuse)}**${uncached === null ? '' : ` (${int(uncached)} with \`cache: false\`)`}`;
    });
  const sizes = [1_000, 10_000, 100_000];
  const newUserFigure = or(
    sizes.map((size) => newUser[size]?.owned),
    () =>
      `**${sizes.map((size) => newUser[size].owned.toFixed(2)).join(' / ')} µs** at 1k / 10k / 100k entries (per-user owner; ` +
      `${sizes.map((size) => newUser[size].plain.toFixed(2)).join(' / ')} without)`,
  );
  const figures = load?.load;
  const loadFigure = figures
    ? `${int(figures.requests)} requests: **${figures.errors}** errors (${figures.timeouts} unanswered within 15 s), ${figures.non2xx} non-2xx; ` +
      `p50 ${figures.p50Ms} ms, **p99 ${figures.p99Ms} ms**; server RSS ${figures.rssBeforeMb.toFixed(0)} → ${figures.rssAfterMb.toFixed(0)} MB (peak ${figures.rssPeakMb.toFixed(0)} MB)`
    : NOT_MEASURED;
  return [
    [
      'Vizzly ES256 signing, next to plain node:crypto and OpenSSL',
      signed,
      'node --import tsx bench/vizzly-sign.ts; node --import tsx bench/sign-baselines.ts',
    ],
    [
      'identity endpoint (Vizzly, `toNodeHandler`) vs a Hono app doing the same work (usual setup; globals kept as toNodeHandler must), Hono as usually written, and bare node:http; 50 connections',
      handlerFigure,
      'node --import tsx bench/identity-handler.ts',
    ],
    [
      'vendor API calls per 1,000 identity requests from 100 users (token reuse on)',
      calls.length ? calls.join('; ') : NOT_MEASURED,
      'node --import tsx bench/vendor-calls.ts',
    ],
    [
      'new user in a full memory store, CPU µs per insert',
      newUserFigure,
      'node --expose-gc --import tsx bench/new-user-cost.ts',
    ],
    [
      '1,000 concurrent connections, 100,000 requests (identity endpoint, Vizzly)',
      loadFigure,
      'node --import tsx bench/load.ts',
    ],
  ];
}

/** The table as Markdown lines; `figures` holds each bench's parsed figures (empty objects when it failed). */
export function renderTable(figures) {
  const rows = [...sizeRows(figures), ...requestRows(figures), ...soakRow(figures), ...serverRows(figures)];
  return [
    '| what | figure | command |',
    '|---|---|---|',
    ...rows.map(([what, figure, command]) => `| ${what} | ${figure} | \`${command}\` |`),
  ];
}
