// `slipway lint` end to end through the command object: files, stdin, formats, config,
// thresholds and exit codes (0 clean, 1 findings at the threshold, 2 bad usage/unreadable).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { makeLintCommand } from '../../../../runtime/cli/commands/lint';

const dir = mkdtempSync(path.join(tmpdir(), 'slipway-lint-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n');
writeFileSync(path.join(dir, 'Bad.Dockerfile'), 'FROM alpine:3.20\nRUN sudo true\n');
writeFileSync(path.join(dir, 'Copy.Dockerfile'), 'FROM scratch\nCOPY secret.txt /\n');
writeFileSync(path.join(dir, 'Copy.Dockerfile.dockerignore'), 'secret.txt\n');
writeFileSync(path.join(dir, 'strict.yaml'), 'override:\n  error: [DL3008]\n');
writeFileSync(path.join(dir, 'broken.yaml'), 'override: [x]\n');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d) => { out += String(d); });
  stderr.on('data', (d) => { err += String(d); });
  const code = await makeLintCommand(async () => stdin).run(args, { stdout, stderr, env: {}, cwd: dir });
  return { code, out, err };
}

const CASES: { name: string; args: string[]; stdin?: string; code: number; out?: RegExp; err?: RegExp }[] = [
  { name: 'default ./Dockerfile, warnings only → 0', args: [], code: 0, out: /^Dockerfile:2 DL3008 warning: Pin versions/m },
  { name: 'an error-level finding → 1', args: ['Bad.Dockerfile'], code: 1, out: /Bad\.Dockerfile:2 DL3004 error: Do not use sudo/ },
  { name: 'threshold warning → 1', args: ['--failure-threshold', 'warning'], code: 1 },
  { name: '--severity-threshold none → 0', args: ['--severity-threshold', 'none', 'Bad.Dockerfile'], code: 0 },
  { name: '--config raises a rule to error → 1', args: ['--config', 'strict.yaml'], code: 1, out: /DL3008 error/ },
  { name: '--ignore drops a rule', args: ['--ignore', 'DL3004', 'Bad.Dockerfile'], code: 0 },
  { name: 'stdin with -', args: ['-'], stdin: 'FROM alpine:3.20\nMAINTAINER me\n', code: 0, out: /^-:2 MaintainerDeprecated warning/m },
  { name: 'NAME.dockerignore feeds CopyIgnoredFile', args: ['Copy.Dockerfile'], code: 0, out: /CopyIgnoredFile warning: Attempting to Copy file "secret\.txt"/ },
  { name: 'json format', args: ['--format', 'json'], code: 0, out: /"code": "DL3008"/ },
  { name: 'sarif format', args: ['--format', 'sarif'], code: 0, out: /"version": "2\.1\.0"/ },
  { name: 'unknown format → 2', args: ['--format', 'xml'], code: 2, err: /unknown --format "xml"/ },
  { name: 'unknown flag → 2', args: ['--bogus'], code: 2, err: /bogus/ },
  { name: 'unknown threshold → 2', args: ['-t', 'fatal'], code: 2, err: /unknown threshold "fatal"/ },
  { name: 'unreadable file → 2, naming it', args: ['missing/Dockerfile'], code: 2, err: /cannot read missing\/Dockerfile/ },
  { name: 'bad config → 2, naming the key', args: ['--config', 'broken.yaml'], code: 2, err: /"override" must be a mapping/ },
];

for (const c of CASES) {
  test(`slipway lint: ${c.name}`, async () => {
    const r = await run(c.args, c.stdin);
    assert.equal(r.code, c.code, `stdout: ${r.out}\nstderr: ${r.err}`);
    if (c.out) assert.match(r.out, c.out);
    if (c.err) assert.match(r.err, c.err);
  });
}
