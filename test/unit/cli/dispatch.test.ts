import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { PassThrough } from 'node:stream';
import { EXIT_USAGE, runCli } from '../../../runtime/cli/dispatch';
import type { CliContext, Command } from '../../../runtime/cli/command';
import { NotFoundError } from '../../../runtime/errors';
import { commands as realCommands } from '../../../runtime/cli/commands/index';
import { forEach } from '../../../runtime/cli/commands/container-io';
import { errorFromResponse, ServiceUnavailableError } from '../../../runtime/client';

const calls: string[][] = [];
const fake: Command[] = [
  {
    name: 'greet', summary: 'Say hello', usage: 'Usage:  slipway greet [--name NAME]',
    async run(args, ctx) {
      calls.push(args);
      const { values } = parseArgs({ args, options: { name: { type: 'string' } }, strict: true });
      ctx.stdout.write(`hello ${values.name ?? 'world'}\n`);
      return 0;
    },
  },
  { name: 'fail', summary: 'Always fails', usage: 'Usage:  slipway fail', run: async () => { throw new NotFoundError('no such container: web', { cause: new Error('ENOENT') }); } },
  // The service's answers (docker: "Error response from daemon: …") against local failures.
  { name: 'daemon', summary: 'Service says 409', usage: 'Usage:  slipway daemon', run: async () => { throw errorFromResponse(409, '{"message":"container abc is not running"}', 'POST', '/containers/abc/exec'); } },
  { name: 'down', summary: 'No service', usage: 'Usage:  slipway down', run: async () => { throw new ServiceUnavailableError('/tmp/x.sock'); } },
  {
    name: 'each', summary: 'Per-container errors', usage: 'Usage:  slipway each',
    run: (args, ctx) => forEach(ctx, args, async (ref) => {
      if (ref === 'gone') throw errorFromResponse(404, '{"message":"No such container: gone"}', 'POST', '/containers/gone/stop');
      if (ref === 'bad') throw new NotFoundError('local trouble');
      return ref;
    }),
  },
];

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => { out += d; });
  stderr.on('data', (d) => { err += d; });
  const ctx: CliContext = { stdout, stderr, env: {}, cwd: '/' };
  const code = await runCli(argv, ctx, fake);
  return { code, out, err };
}

// [argv, exit code, stdout pattern, stderr pattern]
const cases: Array<[string[], number, RegExp, RegExp]> = [
  [[], 0, /Usage: {2}slipway \[OPTIONS\] COMMAND[\s\S]*fail +Always fails\n {2}greet +Say hello/, /^$/],
  [['--help'], 0, /Commands:/, /^$/],
  [['help'], 0, /Commands:/, /^$/],
  [['--version'], 0, /^Slipway version \d+\.\d+\.\d+\n$/, /^$/],
  [['greet'], 0, /^hello world\n$/, /^$/],
  [['greet', '--name', 'you'], 0, /^hello you\n$/, /^$/],
  [['greet', '--help'], 0, /^Usage: {2}slipway greet/, /^$/],
  [['help', 'greet'], 0, /^Usage: {2}slipway greet/, /^$/],
  [['greet', '--bogus'], EXIT_USAGE, /^$/, /^slipway greet: Unknown option '--bogus'[\s\S]*See 'slipway greet --help'\./],
  [['nope'], 1, /^$/, /^slipway: 'nope' is not a slipway command\.\nSee 'slipway --help'/],
  [['--nope'], EXIT_USAGE, /^$/, /^unknown flag: --nope/],
  [['fail'], 1, /^$/, /^no such container: web: ENOENT\n$/],
  [['daemon'], 1, /^$/, /^Error response from daemon: container abc is not running\n$/],
  [['down'], 1, /^$/, /^(?!Error response).+/],
  [['each', 'web', 'gone', 'bad'], 1, /^web\n$/, /^Error response from daemon: No such container: gone\nlocal trouble\n$/],
];
for (const [argv, code, out, err] of cases) {
  test(`slipway ${argv.join(' ') || '(nothing)'} → ${code}`, async () => {
    const r = await cli(...argv);
    assert.equal(r.code, code, r.err);
    assert.match(r.out, out);
    assert.match(r.err, err);
  });
}

test('arguments after -- are passed through, --help there is not intercepted', async () => {
  calls.length = 0;
  await cli('greet', '--', '--help');
  assert.deepEqual(calls, [['--', '--help']]);
});

test('the real command table has version, info and service, each with usage', () => {
  const names = realCommands.map((c) => c.name);
  for (const name of ['version', 'info', 'service']) assert.ok(names.includes(name), name);
  assert.equal(new Set(names).size, names.length, 'command names are unique');
  for (const c of realCommands) assert.match(c.usage, new RegExp(`^Usage:  slipway ${c.name}`));
});

test('a command whose arguments end in another command\'s (run IMAGE COMMAND): -h after the first positional is passed on', async () => {
  const seen: string[][] = [];
  const runLike: Command = { name: 'runlike', summary: 's', usage: 'Usage:  slipway runlike', helpBeforePositionalOnly: true, run: async (args) => { seen.push(args); return 0; } };
  const ctx = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/' };
  assert.equal(await runCli(['runlike', '--rm', 'img', 'ls', '-h'], ctx, [runLike]), 0);
  assert.deepEqual(seen, [['--rm', 'img', 'ls', '-h']]);
  assert.equal(await runCli(['runlike', '-h', 'img'], ctx, [runLike]), 0);
  assert.equal(seen.length, 1, '-h before the image is the command\'s help');
});
