// Terminals on containers, end to end in the editor against the real service: slipway.runImage
// creates a TTY container, attaches a terminal and starts it; what is typed in the terminal
// reaches the container's shell, whose exit code the service reports. slipway.attachShell
// opens `exec -it /bin/sh` on a running container; its exit code reaches both the exec's
// inspect and the terminal's exitStatus. The base image is imported from the busybox rootfs,
// the app image built from it with POST /build.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';
import { readAll } from '../../../runtime/client/client';
import { makeBusyboxRootfs } from '../../helpers/rootfs';

const BASE = 'slipway-term-base:latest';
const APP = 'slipway-term-app:latest';

interface ContainerJson { Id: string; State: { Running: boolean; ExitCode: number }; ExecIDs?: string[] | null }
interface ExecJson { Running: boolean; ExitCode: number | null }

function tarOf(dir: string): Buffer {
  return execFileSync('tar', ['-C', dir, '--owner=0', '--group=0', '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

suite('terminals on containers', () => {
  let api: SlipwayApi;
  const containers: string[] = [];
  const client = () => api.services.client();
  const inspect = (id: string) => client().get<ContainerJson>(`/containers/${id}/json`);

  suiteSetup(async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    api = await ext.activate();
    await api.services.service.whenConnected(30_000);
    const rootfs = makeBusyboxRootfs();
    try {
      const [repo, tag] = BASE.split(':');
      const res = await client().request('POST', '/images/create', {
        query: { fromSrc: '-', repo, tag }, body: tarOf(rootfs.path), timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' },
      });
      assert.doesNotMatch(await readAll(res), /"error"/);
    } finally {
      rootfs.cleanup();
    }
    const context = mkdtempSync(path.join(tmpdir(), 'slipway-term-ctx-'));
    try {
      writeFileSync(path.join(context, 'Dockerfile'), `FROM ${BASE}\nRUN echo baked-in > /baked\nCMD ["sh"]\n`);
      const res = await client().request('POST', '/build', {
        query: { t: APP }, body: tarOf(context), timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' },
      });
      const stream = await readAll(res);
      assert.doesNotMatch(stream, /"error"/, stream);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    for (const t of vscode.window.terminals) t.dispose();
    if (!api) return;
    for (const id of containers) await client().request('DELETE', `/containers/${id}`, { query: { force: 1 } }).then(readAll, () => undefined);
    for (const ref of [APP, BASE]) await client().request('DELETE', `/images/${encodeURIComponent(ref)}`, { query: { force: 1 } }).then(readAll, () => undefined);
  });

  test('slipway.runImage: text sent to the terminal reaches the shell, its exit code the service', async function () {
    this.timeout(90_000);
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => { if (t.name.startsWith('attach:')) { sub.dispose(); resolve(t); } });
    });
    const id = await vscode.commands.executeCommand<string | undefined>('slipway.runImage', APP);
    assert.match(id ?? '', /^[0-9a-f]{64}$/, 'runImage returned no container id');
    containers.push(id!);
    const terminal = await opened;
    await waitFor('the container to run', async () => ((await inspect(id!)).State.Running ? true : undefined));
    // The terminal's session takes its stream just after the start request returns.
    await new Promise((r) => setTimeout(r, 1000));
    terminal.sendText('echo hi-from-$(cat /baked); exit 3');
    const state = await waitFor('the container to exit', async () => {
      const s = (await inspect(id!)).State;
      return s.Running ? undefined : s;
    });
    assert.equal(state.ExitCode, 3);
    const logs = await readAll(await client().request('GET', `/containers/${id}/logs`, { query: { stdout: 1, stderr: 1 }, timeoutMs: 10_000 }));
    // The echo of the typed line contains "$(cat /baked)"; only the shell's output has the expansion.
    assert.match(logs, /hi-from-baked-in/);
  });

  test('slipway.attachShell: exit 5 in the shell is the exec\'s exit code and the terminal\'s exitStatus', async function () {
    this.timeout(90_000);
    const created = await client().post<{ Id: string }>('/containers/create', { Image: APP, Cmd: ['sleep', '600'] });
    containers.push(created.Id);
    await client().post(`/containers/${created.Id}/start`);
    await waitFor('the container to run', async () => ((await inspect(created.Id)).State.Running ? true : undefined));
    const terminal = await vscode.commands.executeCommand<vscode.Terminal | undefined>('slipway.attachShell', created.Id);
    assert.ok(terminal, 'attachShell opened no terminal');
    const execId = await waitFor('the exec to run', async () => {
      const [first] = (await inspect(created.Id)).ExecIDs ?? [];
      if (!first) return undefined;
      return (await client().get<ExecJson>(`/exec/${first}/json`)).Running ? first : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const closed = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => { if (t === terminal) { sub.dispose(); resolve(t); } });
    });
    terminal.sendText('exit 5');
    const exec = await waitFor('the exec to end', async () => {
      const e = await client().get<ExecJson>(`/exec/${execId}/json`);
      return e.Running ? undefined : e;
    });
    assert.equal(exec.ExitCode, 5);
    // The ended session shows the code and closes on the next key, with that code.
    // Give the session time to see the stream end (it asks the exec's code then).
    await new Promise((r) => setTimeout(r, 1500));
    terminal.sendText('');
    const gone = await closed;
    assert.equal(gone.exitStatus?.code, 5);
    assert.equal((await inspect(created.Id)).State.Running, true, 'the container outlives its shell');
  });
});
