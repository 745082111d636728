import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fdinfoFlags } from '../../../runtime/service/inherited-fds';

test('fdinfoFlags reads the octal flags field', () => {
  const cases: [string, number | undefined][] = [
    ['pos:\t0\nflags:\t02100002\nmnt_id:\t25\n', 0o2100002],
    ['pos:\t0\nflags:\t0100001\n', 0o100001],
    ['pos:\t0\n', undefined],
  ];
  for (const [text, want] of cases) assert.equal(fdinfoFlags(text), want, text);
});

test('closeInheritedFds closes what the parent passed down and keeps stdio and Node\'s own', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-fds-'));
  try {
    const file = path.join(dir, 'inherited');
    fs.writeFileSync(file, '');
    const script = `
      const { closeInheritedFds } = require(${JSON.stringify(path.resolve(__dirname, '../../../runtime/service/inherited-fds.ts'))});
      const closed = closeInheritedFds();
      const fs = require('node:fs');
      const left = fs.readdirSync('/proc/self/fd').map((n) => { try { return fs.readlinkSync('/proc/self/fd/' + n); } catch { return ''; } });
      process.stdout.write(JSON.stringify({ closed, left }));`;
    // A shell redirection opens fd 100 without close-on-exec and exec passes it on, as a shell
    // or a terminal multiplexer hands its descriptors to what it starts. (Node itself marks the
    // lowest descriptors close-on-exec at start-up, and those listed in spawn's stdio array
    // arrive marked: neither would show the case.)
    const r = spawnSync('/bin/bash', ['-c', 'exec "$0" --import tsx -e "$1" 100<"$2"', process.execPath, script, file], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { closed: number[]; left: string[] };
    assert.ok(out.closed.includes(100), `closed: ${out.closed.join(', ')}`);
    assert.ok(!out.left.includes(file), `still open: ${out.left.join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
