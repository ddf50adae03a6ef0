// The benchmark table reads each bench's printed output: figures found are shown as printed, and a
// figure a bench did not print reads "not measured", never a number from somewhere else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Plain-JS bench helpers without typings; string-typed specifiers keep this file type-checked.
const parse = (await import('../../bench/parse.mjs' as string)) as Record<string, (...outputs: string[]) => any>;
const { renderTable } = (await import('../../bench/table.mjs' as string)) as { renderTable: (f: object) => string[] };

const SIZE = `  element + all vendors (embed-dashboard/define)
    esbuild split: 11.61 KB = 11890 B eager; lazy: vizzly 1.36 KB
    esbuild single file: 20.19 KB = 20673 B

  element + Looker only (element + vendors/looker)
    esbuild split: 15.16 KB = 15524 B eager
    esbuild single file: 15.16 KB = 15524 B
`;
const HANDLER = `  median identity: 7217 req/s (p99 32 ms, 85 µs CPU/req)
  median hono: 8001 req/s (p99 30 ms, 70 µs CPU/req)
  median hono-same-work: 7600 req/s (p99 31 ms, 80 µs CPU/req)
  identity/hono throughput ratio: median 0.91 (rounds 0.90, 0.92)
  identity/hono-same-work throughput ratio: median 0.95 (rounds 0.94, 0.96)
`;
const HANDLER_GLOBALS_REPLACED = `  median identity-globals-replaced: 7500 req/s (p99 31 ms, 82 µs CPU/req)
  median hono-same-work: 7600 req/s (p99 31 ms, 80 µs CPU/req)
  identity-globals-replaced/hono-same-work throughput ratio: median 0.98 (rounds 0.97, 0.99)
`;

/** Every figure cell of the table (the middle column). */
const figureCells = (lines: string[]): string[] => lines.slice(2).map((line) => line.split(' | ')[1]!);

describe('benchmark table', () => {
  it('says "not measured" for every figure when no bench printed anything', () => {
    const empty = {
      size: parse.parseSize!(''),
      soak: parse.parseSoak!(''),
      signing: parse.parseSigning!('', ''),
      handler: parse.parseHandler!(''),
      vendorCalls: parse.parseVendorCalls!(''),
      newUser: parse.parseNewUserCost!(''),
      competitors: parse.lastJson!(''),
      embeds: parse.lastJson!(''),
      load: parse.lastJson!(''),
    };
    for (const cell of figureCells(renderTable(empty))) assert.match(cell, /^not measured( \/ not measured)?$/);
  });

  it('shows the figures the benches printed, and only those', () => {
    const size = parse.parseSize!(SIZE);
    assert.deepEqual([size.entrySplit, size.entrySingle, size.lookerSingle], [11890, 20673, 15524]);
    const handler = parse.parseHandler!(HANDLER);
    assert.deepEqual([handler.identity.rps, handler.hono.p99, handler.ratioHono], [7217, 30, 0.91]);
    assert.deepEqual(
      [handler['hono-same-work'].rps, handler.identity.cpu, handler.ratioHonoSameWork],
      [7600, 85, 0.95],
    );
    assert.equal(handler.bare.rps, undefined);
    assert.equal(handler.ratioHonoGlobalsKept, undefined);
    const table = renderTable({ size, handler, soak: {}, signing: {}, vendorCalls: {}, newUser: {} }).join('\n');
    assert.match(table, /\*\*11\.61 KB\*\* before any adapter/);
    assert.match(
      table,
      /identity endpoint 7,217 req\/s \(p99 32 ms, 85 µs CPU\); Hono same work 7,600 req\/s \(p99 31 ms, 80 µs CPU\); Hono 8,001 req\/s \(p99 30 ms, 70 µs CPU\); bare node:http not measured/,
    );
    assert.match(table, /identity\/Hono same work \*\*0\.95\*\*, identity\/Hono \*\*0\.91\*\*/);
    assert.equal(handler.ratioGlobalsReplaced, undefined, 'not mistaken for the opt-in figure');
  });

  it('keeps the opt-in overrideGlobalObjects figures apart from the default ones', () => {
    const handler = parse.parseHandler!(HANDLER_GLOBALS_REPLACED);
    assert.equal(handler.identity.rps, undefined, 'the default setup was not measured');
    assert.equal(handler.ratioHonoSameWork, undefined);
    assert.deepEqual([handler['identity-globals-replaced'].rps, handler.ratioGlobalsReplaced], [7500, 0.98]);
    const table = renderTable({ handler, soak: {}, signing: {}, vendorCalls: {}, newUser: {}, size: {} }).join('\n');
    assert.match(table, /identity endpoint, globals replaced 7,500 req\/s/);
    assert.match(table, /with `overrideGlobalObjects: true` identity\/Hono same work \*\*0\.98\*\*/);
  });

  it('reads the last JSON line of a script asked for --json', () => {
    assert.deepEqual(parse.lastJson!('figures\n{"a":1}\n{"b":2}\n'), { b: 2 });
    assert.equal(parse.lastJson!('{ not json\n'), undefined);
  });
});
