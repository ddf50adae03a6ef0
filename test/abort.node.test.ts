import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untilAborted } from '../src/abort.js';

/** A promise and the functions that settle it, for waits that never honour the signal. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

type Listen = (type: string, listener: EventListener) => void;

/** An AbortSignal that counts its live 'abort' listeners. */
function countedSignal(controller = new AbortController()) {
  const signal = controller.signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal) as Listen;
  const remove = signal.removeEventListener.bind(signal) as Listen;
  const counted =
    (step: number, call: Listen): Listen =>
    (type, listener) => {
      if (type === 'abort') listeners += step;
      call(type, listener);
    };
  signal.addEventListener = counted(1, add) as AbortSignal['addEventListener'];
  signal.removeEventListener = counted(-1, remove) as AbortSignal['removeEventListener'];
  return { controller, signal, listeners: () => listeners };
}

test('settles as the promise does while the signal stays quiet, and leaves no listener behind', async () => {
  const { signal, listeners } = countedSignal();
  assert.equal(await untilAborted(Promise.resolve('tokens'), signal), 'tokens');
  assert.equal(listeners(), 0, 'listener removed after a resolve');
  const failure = new Error('network down');
  await assert.rejects(untilAborted(Promise.reject(failure), signal), (error) => error === failure);
  assert.equal(listeners(), 0, 'listener removed after a reject');
});

test('rejects with the abort reason as soon as the signal aborts, though the promise never settles', async () => {
  const { controller, signal } = countedSignal();
  const reason = new Error('element removed');
  const waiting = untilAborted(pending<string>().promise, signal);
  controller.abort(reason);
  await assert.rejects(waiting, (error) => error === reason);
});

test('an already aborted signal rejects at once, and the abandoned promise failing later is no unhandled rejection', async () => {
  const controller = new AbortController();
  controller.abort();
  const late = pending<string>();
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  process.on('unhandledRejection', onUnhandled);
  try {
    await assert.rejects(untilAborted(late.promise, controller.signal), { name: 'AbortError' });
    late.reject(new Error('the fetch failed after all'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a settle after the abort changes nothing: the abort reason stands', async () => {
  const controller = new AbortController();
  const work = pending<string>();
  const waiting = untilAborted(work.promise, controller.signal);
  controller.abort(new Error('first'));
  work.resolve('too late');
  await assert.rejects(waiting, /first/);
});
