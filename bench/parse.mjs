// Reads each bench's printed output into figures for the table (bench/table.mjs). Scripts that print a
// last JSON line (asked with --json) are read from it; the others from their text, line by line. A
// figure that is not found stays undefined, and the table says "not measured": nothing is made up.

/** The last line of `output` that is a JSON object, or undefined. */
export function lastJson(output) {
  for (const line of output.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {
      continue; // a line that only looks like JSON
    }
  }
  return undefined;
}

/** `pattern`'s first group in `text` as a number (digits with `,` separators), or undefined. */
function number(text, pattern) {
  const match = text?.match(pattern);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}

/** The lines from the one containing `heading` to the next blank line. */
function block(text, heading) {
  const start = text.indexOf(heading);
  if (start < 0) return undefined;
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

/**
 * bench/size.mjs. The packed-package form prints, per case, "esbuild split: … = N B eager" and
 * "esbuild single file: … = N B"; the older source form prints "browser entry (…): … gzip = N B".
 */
export function parseSize(output) {
  const define = block(output, 'embed-dashboard/define');
  const engine = block(output, 'embed-dashboard/engine') ?? block(output, 'engine (');
  const lookerOnly = block(output, 'Looker only');
  if (define) {
    return {
      packed: true,
      entrySplit: number(define, /esbuild split: [\d.]+ KB = (\d+) B eager/),
      entrySingle: number(define, /esbuild single file: [\d.]+ KB = (\d+) B/),
      lookerSingle: number(lookerOnly, /esbuild single file: [\d.]+ KB = (\d+) B/),
      engine: number(engine, /esbuild split: [\d.]+ KB = (\d+) B eager/),
    };
  }
  return {
    packed: false,
    entrySplit: number(output, /browser entry \([^)]*\):\s+[\d.]+ KB gzip = (\d+) B/),
    engine: number(output, /token engine alone \([^)]*\):\s+[\d.]+ KB gzip = (\d+) B/),
  };
}

/** bench/vizzly-sign.ts and bench/sign-baselines.ts. */
export function parseSigning(signOutput, baselineOutput) {
  const baselines = lastJson(baselineOutput) ?? {};
  return {
    dashboardTokens: number(signOutput, /signDashboardAccessToken: (\d+) tokens\/s/),
    generateCalls: number(signOutput, /generateTokens \(3 tokens\): (\d+) calls\/s/),
    openssl: baselines.opensslSignsPerSecond ?? undefined,
    nodeCrypto: baselines.nodeCryptoSignsPerSecond ?? undefined,
  };
}

/**
 * bench/identity-handler.ts: "median <mode>: N req/s (p99 N ms, N µs CPU/req)" per server, or the older
 * "median: bare N req/s (…), identity N req/s (…)"; and "identity/<other> throughput ratio: median R".
 */
export function parseHandler(output) {
  const figures = {};
  for (const mode of [
    'identity',
    'identity-globals-replaced',
    'hono',
    'hono-same-work',
    'hono-same-work-globals-kept',
    'bare',
  ]) {
    const rps =
      number(output, new RegExp(`median ${mode}: (\\d+) req/s`)) ??
      number(output, new RegExp(`median:.*?\\b${mode} (\\d+) req/s`));
    const p99 =
      number(output, new RegExp(`median ${mode}: \\d+ req/s \\(p99 ([\\d.]+) ms`)) ??
      number(output, new RegExp(`median:.*?\\b${mode} \\d+ req/s \\(p99 ([\\d.]+) ms`));
    const cpu = number(output, new RegExp(`median ${mode}: \\d+ req/s \\(p99 [\\d.]+ ms, ([\\d.]+) µs CPU/req`));
    figures[mode] = { rps, p99, cpu };
  }
  figures.ratioHono = number(output, /identity\/hono throughput ratio: median ([\d.]+)/);
  figures.ratioHonoSameWork = number(output, /identity\/hono-same-work throughput ratio: median ([\d.]+)/);
  figures.ratioHonoGlobalsKept = number(
    output,
    /identity\/hono-same-work-globals-kept throughput ratio: median ([\d.]+)/,
  );
  figures.ratioBare = number(output, /identity\/bare throughput ratio: median ([\d.]+)/);
  figures.ratioGlobalsReplaced = number(
    output,
    /identity-globals-replaced\/hono-same-work throughput ratio: median ([\d.]+)/,
  );
  return figures;
}

/** bench/vendor-calls.ts: "vendor | reuse | cache: false | …" rows. */
export function parseVendorCalls(output) {
  const figures = {};
  for (const vendor of ['vizzly', 'databrain', 'formant', 'looker']) {
    const match = output.match(new RegExp(`^${vendor}\\s*\\|\\s*(\\d+|—)\\s*\\|\\s*(\\d+|—)\\s*\\|`, 'm'));
    if (!match) continue;
    const value = (text) => (text === '—' ? null : Number(text));
    figures[vendor] = { reuse: value(match[1]), uncached: value(match[2]) };
  }
  return figures;
}

/** bench/new-user-cost.ts: "entries | µs (owner) | µs (no owner)" rows. */
export function parseNewUserCost(output) {
  const figures = {};
  for (const [, entries, owned, plain] of output.matchAll(/^\s*([\d,]+) \|\s+([\d.]+) \|\s+([\d.]+)\s*$/gm))
    figures[Number(entries.replace(/,/g, ''))] = { owned: Number(owned), plain: Number(plain) };
  return figures;
}

/** bench/soak.ts (the engine's 30-day soak). */
export function parseSoak(output) {
  return {
    days: number(output, /Soak: (\d+) simulated days/),
    handedExpired: number(output, /tokens handed over after expiry while the endpoint could answer: (\d+)/),
    expiredHeldS: number(output, /expired-held time not excused by an endpoint failure:\s+([\d.]+) s/),
    requestsPerLifetime: number(output, /identity requests per token lifetime[^:]*:\s+([\d.]+)/),
    worstWakeS: number(output, /worst wake-up → fresh tokens: ([\d.]+) s/),
    left: output
      .match(/left at the end: (\d+) timers, (\d+) listeners, (\d+) sessions/)
      ?.slice(1)
      .join(' / '),
  };
}
