// The lazy command table (what dist/cli.js dispatches on) against the eager one (docs, tests),
// runCliLazy's loading, and the compile-cache directory rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runCliLazy, type LazyCommand } from '../../../runtime/cli/dispatch';
import type { CliContext, Command } from '../../../runtime/cli/command';
import { commands } from '../../../runtime/cli/commands/index';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lazyCommands } from '../../../runtime/cli/commands/lazy';
import { compileCacheDir, hasCompileCache } from '../../../runtime/compile-cache';

test('the lazy table names every command of the eager table, in order, and loads the same object', async () => {
  const table = lazyCommands(path.resolve(__dirname, '../../../runtime/cli/commands'));
  assert.deepEqual(table.map(([name]) => name), commands.map((c) => c.name));
  for (const [i, [name, load]] of table.entries()) {
    assert.equal(await load(), commands[i], `lazy entry ${name}`);
  }
});

test('a lazy entry whose module lacks NAMECommand is named in the error', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lazy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'version.js'), 'module.exports = { other: 1 };\n');
  const [, load] = lazyCommands(dir)[0];
  await assert.rejects(load(), new RegExp(`${dir}/version exports no versionCommand`));
});

function table(names: string[], loaded: string[]): LazyCommand[] {
  return names.map((name) => [name, async (): Promise<Command> => {
    loaded.push(name);
    return { name, summary: `the ${name} command`, usage: `Usage:  slipway ${name}`, run: async (args, ctx) => { ctx.stdout.write(`${name} ${args.join(' ')}\n`); return 7; } };
  }]);
}

async function cli(argv: string[], loaded: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => { out += d; });
  const ctx: CliContext = { stdout, stderr: new PassThrough(), env: {}, cwd: '/' };
  const code = await runCliLazy(argv, ctx, table(['alpha', 'beta', 'gamma'], loaded));
  return { code, out };
}

// [argv, commands loaded, exit code, stdout pattern]
const cases: Array<[string[], string[], number, RegExp]> = [
  [['beta', 'x'], ['beta'], 7, /^beta x\n$/],
  [['beta', '--help'], ['beta'], 0, /^Usage: {2}slipway beta\n$/],
  [['help', 'gamma'], ['gamma'], 0, /^Usage: {2}slipway gamma\n$/],
  [['--version'], [], 0, /^Slipway version /],
  [['-v'], [], 0, /^Slipway version /],
  [[], ['alpha', 'beta', 'gamma'], 0, /alpha +the alpha command\n {2}beta +the beta command\n {2}gamma/],
  [['--help'], ['alpha', 'beta', 'gamma'], 0, /Commands:/],
  [['nope'], ['alpha', 'beta', 'gamma'], 1, /^$/],
];

for (const [argv, wantLoaded, wantCode, wantOut] of cases) {
  test(`runCliLazy ${JSON.stringify(argv)} loads ${JSON.stringify(wantLoaded)}`, async () => {
    const loaded: string[] = [];
    const { code, out } = await cli(argv, loaded);
    assert.deepEqual(loaded.sort(), wantLoaded);
    assert.equal(code, wantCode);
    assert.match(out, wantOut);
  });
}

// [env, cache dir]
const dirs: Array<[NodeJS.ProcessEnv, string | undefined]> = [
  [{ SLIPWAY_COMPILE_CACHE: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }, '/c'],
  [{ XDG_CACHE_HOME: '/x', HOME: '/h' }, '/x/slipway/compile-cache'],
  [{ HOME: '/h' }, '/h/.cache/slipway/compile-cache'],
  [{}, undefined],
];
for (const [env, want] of dirs) {
  test(`compileCacheDir ${JSON.stringify(env)}`, () => assert.equal(compileCacheDir(env), want));
}

// node:module (and the ES-module loader it drags in) is loaded only on a Node that can use it.
const versions: Array<[string, boolean]> = [['v20.20.2', false], ['v22.0.0', false], ['v22.1.0', true], ['v22.12.0', true], ['v24.21.0', true], ['v25.0.0', true]];
for (const [version, want] of versions) {
  test(`hasCompileCache ${version}`, () => assert.equal(hasCompileCache(version), want));
}
