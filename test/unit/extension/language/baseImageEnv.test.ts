// The editor's cache of base images' environments: lint asks synchronously, fetches happen
// behind it, a change re-lints, image events refresh without flicker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BaseImageEnvCache, isImageStoreEvent, sameEnv } from '../../../../extension/language/baseImageEnv';
import { lint } from '../../../../runtime/lint/index';
import type { ImageEnv } from '../../../../runtime/client';

/** A fake store: `images` answers, `down` makes every fetch fail; counts fetches per image. */
function fakeStore(images: Record<string, ImageEnv>) {
  const fetched: string[] = [];
  const store = {
    images, fetched, down: false,
    fetch: async (image: string): Promise<ImageEnv | undefined> => {
      fetched.push(image);
      await new Promise((r) => setImmediate(r));
      if (store.down) throw new Error('the slipway service is not running');
      return store.images[image] ? { ...store.images[image] } : undefined;
    },
  };
  return store;
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const undefinedVars = (src: string, cache: BaseImageEnvCache) => lint(src, { baseImageEnv: cache.get }).filter((f) => f.code === 'UndefinedVar').map((f) => f.message);

test('the first ask is unknown and fetches; the answer re-lints once and then lint sees the image env', async () => {
  const store = fakeStore({ myimg: { APP_HOME: '/srv' } });
  let changes = 0;
  const cache = new BaseImageEnvCache(store.fetch, () => { changes += 1; });
  const src = 'FROM myimg\nWORKDIR $APP_HOME\nLABEL x=$APP_HOEM\n';
  assert.deepEqual(undefinedVars(src, cache), [], 'unknown image: nothing is checked yet');
  await settle();
  assert.equal(changes, 1);
  assert.deepEqual(undefinedVars(src, cache), ["Usage of undefined variable '$APP_HOEM' (did you mean $APP_HOME?)"]);
  assert.deepEqual(store.fetched, ['myimg'], 'a known image is not fetched again by lint');
});

test('an image the store lacks causes no re-lint (nothing changed for lint)', async () => {
  const store = fakeStore({});
  let changes = 0;
  const cache = new BaseImageEnvCache(store.fetch, () => { changes += 1; });
  assert.equal(cache.get('nope'), undefined);
  await settle();
  assert.equal(changes, 0);
  assert.equal(cache.get('nope'), undefined);
  assert.deepEqual(store.fetched, ['nope']);
});

test('refresh after an image event: same env is silent, a new env re-lints, a deleted image becomes unknown', async () => {
  const store = fakeStore({ myimg: { A: '1' } });
  let changes = 0;
  const cache = new BaseImageEnvCache(store.fetch, () => { changes += 1; });
  cache.get('myimg');
  await settle();
  assert.equal(changes, 1);
  cache.refresh();
  await settle();
  assert.equal(changes, 1, 'unchanged environment: no re-lint');
  store.images.myimg = { A: '1', B: '2' };
  cache.refresh();
  assert.deepEqual(cache.get('myimg'), { A: '1' }, 'the old answer is served while refreshing');
  await settle();
  assert.equal(changes, 2);
  assert.deepEqual(cache.get('myimg'), { A: '1', B: '2' });
  delete store.images.myimg;
  cache.refresh();
  await settle();
  assert.equal(changes, 3);
  assert.equal(cache.get('myimg'), undefined);
});

test('a service that is down keeps the last answer, logs once, and a refresh on reconnection fetches again', async () => {
  const store = fakeStore({ myimg: { A: '1' } });
  const logs: string[] = [];
  let changes = 0;
  const cache = new BaseImageEnvCache(store.fetch, () => { changes += 1; }, { log: (m) => logs.push(m) });
  store.down = true;
  cache.get('myimg');
  cache.get('other');
  await settle();
  assert.equal(changes, 0);
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.match(logs[0], /base image environment of myimg: the slipway service is not running/);
  store.down = false;
  cache.refresh();
  await settle();
  assert.equal(changes, 1);
  assert.deepEqual(cache.get('myimg'), { A: '1' });
});

test('only the latest fetch of an image may set it', async () => {
  const answers: ((env: ImageEnv | undefined) => void)[] = [];
  const cache = new BaseImageEnvCache((_image) => new Promise((r) => answers.push(r)), () => {});
  cache.get('myimg');
  cache.refresh();
  answers[1]({ NEW: '1' });
  answers[0]({ OLD: '1' });
  await settle();
  assert.deepEqual(cache.get('myimg'), { NEW: '1' });
});

test('at most `max` images are remembered, least recently used out first', async () => {
  const store = fakeStore({});
  const cache = new BaseImageEnvCache(store.fetch, () => {}, { max: 2 });
  cache.get('a'); cache.get('b'); cache.get('a'); cache.get('c');
  assert.deepEqual(cache.images(), ['a', 'c']);
});

test('after dispose, late answers change nothing', async () => {
  const store = fakeStore({ myimg: { A: '1' } });
  let changes = 0;
  const cache = new BaseImageEnvCache(store.fetch, () => { changes += 1; });
  cache.get('myimg');
  cache.dispose();
  await settle();
  assert.equal(changes, 0);
});

const EVENTS: [string, string, boolean][] = [
  ['image', 'tag', true], ['image', 'delete', true], ['image', 'pull', true], ['image', 'load', true],
  ['image', 'import', true], ['image', 'untag', true], ['image', 'push', false], ['container', 'start', false],
];
for (const [Type, Action, want] of EVENTS) test(`isImageStoreEvent ${Type} ${Action}`, () => assert.equal(isImageStoreEvent({ Type, Action }), want));

test('sameEnv compares keys and values', () => {
  assert.ok(sameEnv({ A: '1' }, { A: '1' }));
  assert.ok(!sameEnv({ A: '1' }, { A: '2' }));
  assert.ok(!sameEnv({ A: '1' }, { B: '1' }));
  assert.ok(!sameEnv({ A: '1' }, { A: '1', B: '' }));
  assert.ok(!sameEnv(undefined, {}));
  assert.ok(sameEnv(undefined, undefined));
});
