// Bad input never fails silently: each mistake is an error state, an alert naming the attribute and an embed-error.
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import './test-vendor.js';
import type { EmbedErrorDetail } from '../../src/element/events.js';
import { equal, match, waitFor } from '../helpers/assert.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { create, elementTestHooks, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('invalid');

describe('<embed-dashboard> bad input', () => {
  elementTestHooks();

  it('an object set as an attribute (a framework that rendered before registration) is an error naming it', async () => {
    const element = create({ vendor: 'test-vendor', 'identity-url': '/x', context: '[object Object]' });
    await waitFor(() => element.state === 'error', 'error');
    equal(element.error?.attribute, 'context');
    match(element.error!.message, /property, not an attribute/);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ['no vendor', { 'identity-url': '/x' }, 'invalid-attribute', 'vendor'],
    ['an unknown vendor', { vendor: 'nope', 'identity-url': '/x' }, 'unknown-vendor', 'vendor'],
    ['no identity source', { vendor: 'test-vendor' }, 'invalid-attribute', 'identity-url'],
    [
      'bad JSON in vendor-options',
      { vendor: 'test-vendor', 'identity-url': '/x', 'vendor-options': '{theme: dark}' },
      'invalid-attribute',
      'vendor-options',
    ],
    [
      'vendor-options that is not an object',
      { vendor: 'test-vendor', 'identity-url': '/x', 'vendor-options': '[1]' },
      'invalid-attribute',
      'vendor-options',
    ],
    [
      'a bad credentials mode',
      { vendor: 'test-vendor', 'identity-url': '/x', credentials: 'always' },
      'invalid-attribute',
      'credentials',
    ],
    [
      'a bad share value',
      { vendor: 'test-vendor', 'identity-url': '/x', share: 'window' },
      'invalid-attribute',
      'share',
    ],
  ];
  for (const [title, attributes, code, attribute] of bad) {
    it(`${title}: error state, an alert naming the attribute, an embed-error event`, async () => {
      let detail: EmbedErrorDetail | undefined;
      document.body.addEventListener(
        'embed-error',
        (e) => {
          detail = e.detail;
        },
        { once: true },
      );
      const element = create(attributes);
      await waitFor(() => element.state === 'error', 'error state');
      equal(detail?.code, code as EmbedErrorDetail['code']);
      equal(detail?.attribute, attribute);
      await element.updateComplete;
      const alert = element.shadowRoot!.querySelector('[role="alert"]');
      match(alert?.textContent ?? '', new RegExp(attribute));
      equal(record.mounts, 0);
    });
  }

  it('an adapter that fails to load gives a vendor error', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => json({ vendor: 'broken-vendor', tokens: { t: 'x' }, expiresIn: 600 }));
    const element = create({ vendor: 'broken-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'error', 'error');
    equal(element.error?.code, 'vendor');
    match(element.error!.message, /broken-vendor adapter failed to load/);
  });
});
