import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer, type CancelToken } from '../../../../extension/language/debounce';

test('only the last request in a burst runs, after the quiet period', async () => {
  const d = new Debouncer<string>(30);
  const ran: number[] = [];
  for (let i = 0; i < 5; i++) d.schedule('doc', () => { ran.push(i); });
  assert.deepEqual(ran, [], 'nothing runs synchronously');
  await sleep(80);
  assert.deepEqual(ran, [4]);
});

test('keys are independent', async () => {
  const d = new Debouncer<string>(10);
  const ran: string[] = [];
  d.schedule('a', () => { ran.push('a'); });
  d.schedule('b', () => { ran.push('b'); });
  await sleep(50);
  assert.deepEqual(ran.sort(), ['a', 'b']);
});

test('a newer request cancels work that is already running', async () => {
  const d = new Debouncer<string>(0);
  let first: CancelToken | undefined;
  d.schedule('doc', async (token) => { first = token; await sleep(40); });
  await sleep(10);
  assert.equal(first?.cancelled, false);
  d.schedule('doc', () => {});
  assert.equal(first?.cancelled, true);
});

test('cancel and dispose stop pending work', async () => {
  const d = new Debouncer<string>(10);
  let ran = 0;
  d.schedule('a', () => { ran++; });
  d.cancel('a');
  d.schedule('b', () => { ran++; });
  d.dispose();
  await sleep(40);
  assert.equal(ran, 0);
});
