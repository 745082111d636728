import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveServiceLocation } from '../../../../extension/service/location';
import { defaultSocketPath, defaultStateRoot } from '../../../../runtime/paths';

const home = '/home/ann';

test('settings, then SLIPWAY_SOCKET/SLIPWAY_ROOT, then the service defaults', () => {
  const env = { SLIPWAY_SOCKET: '/env/s.sock', SLIPWAY_ROOT: '/env/root' };
  const table: { settings: { socketPath?: string; stateRoot?: string }; env: NodeJS.ProcessEnv; want: { socketPath: string; stateRoot: string } }[] = [
    { settings: { socketPath: '/set/s.sock', stateRoot: '/set/root' }, env, want: { socketPath: '/set/s.sock', stateRoot: '/set/root' } },
    { settings: {}, env, want: { socketPath: '/env/s.sock', stateRoot: '/env/root' } },
    { settings: { socketPath: '  ', stateRoot: '' }, env, want: { socketPath: '/env/s.sock', stateRoot: '/env/root' } },
    { settings: { socketPath: '~/x/s.sock', stateRoot: '~' }, env, want: { socketPath: '/home/ann/x/s.sock', stateRoot: '/home/ann' } },
    { settings: { socketPath: '/a/../b/s.sock' }, env: {}, want: { socketPath: '/b/s.sock', stateRoot: defaultStateRoot({}) } },
    { settings: {}, env: {}, want: { socketPath: defaultSocketPath({}), stateRoot: defaultStateRoot({}) } },
  ];
  for (const { settings, env: e, want } of table) {
    assert.deepEqual(resolveServiceLocation(settings, e, home), want, JSON.stringify({ settings, e }));
  }
});

test('a relative path in a setting is refused, naming the setting and the value', () => {
  assert.throws(() => resolveServiceLocation({ socketPath: 'run/s.sock' }, {}, home), /slipway\.service\.socketPath .*"run\/s\.sock"/);
  assert.throws(() => resolveServiceLocation({ stateRoot: './state' }, {}, home), /slipway\.service\.stateRoot .*"\.\/state"/);
});
