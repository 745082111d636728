import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageProvider } from '../../../../runtime/container/runtime';

test('imageProvider: image config, id and lower dirs from the image store; Docker\'s 404 otherwise', async () => {
  const asked: string[] = [];
  const provider = imageProvider({
    find: async (ref) => (ref === 'busybox' ? { id: 'sha256:abc', config: { config: { Cmd: ['sh'], Env: ['A=1'] } } } : undefined),
    lowerDirs: async (id) => { asked.push(id); return { dirs: ['/l/top', '/l/base'] }; },
  });
  assert.deepEqual(await provider.resolve('busybox'), { id: 'sha256:abc', config: { Cmd: ['sh'], Env: ['A=1'] }, layers: ['/l/top', '/l/base'] });
  assert.deepEqual(asked, ['sha256:abc']);
  await assert.rejects(provider.resolve('nope'), { status: 404, message: 'No such image: nope' } as object);
});
