import './helpers/mocha-globals.js';
import { EmbedError, isEmbedError } from '../src/errors.js';
import { equal, ok } from './helpers/assert.js';

describe('isEmbedError', () => {
  it('recognises an EmbedError from another copy of the package, where instanceof cannot', async () => {
    // The same module under another URL is a second copy with its own class, as a CDN build beside a bundled one.
    const copy = (await import(`../src/errors.ts?copy=${Date.now()}`)) as typeof import('../src/errors.js');
    const foreign = new copy.EmbedError('network', 'from the other copy', { retriable: true });
    ok(!(foreign instanceof EmbedError), 'a real second copy');
    ok(isEmbedError(foreign));
    equal(copy.isEmbedError(new EmbedError('timeout', 'from this copy')), true);
  });

  it('is false for plain errors, look-alikes and non-objects', () => {
    ok(!isEmbedError(new Error('plain')));
    ok(!isEmbedError({ name: 'EmbedError', code: 'network', message: 'look-alike' }));
    ok(!isEmbedError(null));
    ok(!isEmbedError('EmbedError'));
  });
});
