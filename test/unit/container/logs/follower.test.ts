import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogFollower, readLogs, TtyLogWriter, type LogEntry } from '../../../../runtime/container/logs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-logs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function setup() {
  const dir = path.join(tmp, String(n++));
  fs.mkdirSync(dir);
  const opts = {
    sources: { stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr') },
    logFile: path.join(dir, 'json.log'),
    offsetsFile: path.join(dir, 'log-offsets.json'),
    pollMs: 20,
  };
  fs.writeFileSync(opts.sources.stdout, '');
  fs.writeFileSync(opts.sources.stderr, '');
  return opts;
}

async function collect(file: string, opts: Parameters<typeof readLogs>[1] = {}): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of readLogs(file, opts)) out.push(e);
  return out;
}
const logs = (es: LogEntry[]) => es.map((e) => `${e.stream}:${e.log}`);

test('follower: complete lines logged per stream, partial held until stop, restart resumes without repeats', async () => {
  const opts = setup();
  fs.appendFileSync(opts.sources.stdout, 'one\ntw');
  fs.appendFileSync(opts.sources.stderr, 'oops\n');
  const f1 = new LogFollower(opts);
  await f1.start();
  assert.deepEqual(logs(await collect(opts.logFile)), ['stdout:one\n', 'stderr:oops\n']);

  // The service dies (no final flush); output keeps landing in the files meanwhile.
  (f1 as unknown as { watchers: fs.FSWatcher[] }).watchers.forEach((w) => w.close());
  clearInterval((f1 as unknown as { timer: NodeJS.Timeout }).timer);
  fs.appendFileSync(opts.sources.stdout, 'o\nthree');

  const f2 = new LogFollower(opts);
  await f2.start();
  assert.deepEqual(logs(await collect(opts.logFile)), ['stdout:one\n', 'stderr:oops\n', 'stdout:two\n']);
  await f2.stop();
  assert.deepEqual(logs(await collect(opts.logFile)).slice(-1), ['stdout:three']);
  assert.deepEqual(JSON.parse(fs.readFileSync(opts.offsetsFile, 'utf8')), { stdout: 13, stderr: 5 });
});

test('follower picks up writes by itself (watch/poll) and emits entries', async () => {
  const opts = setup();
  const f = new LogFollower(opts);
  await f.start();
  const got = new Promise<LogEntry[]>((resolve) => f.once('entries', resolve));
  fs.appendFileSync(opts.sources.stderr, 'late\n');
  assert.deepEqual(logs(await got), ['stderr:late\n']);
  await f.stop();
});

test('readLogs --follow sees new lines and ends once the container stops', async () => {
  const opts = setup();
  const f = new LogFollower(opts);
  await f.start();
  let running = true;
  const seen: string[] = [];
  const reading = (async () => {
    for await (const e of readLogs(opts.logFile, { follow: true, isRunning: () => running, pollMs: 20 })) seen.push(e.log);
  })();
  fs.appendFileSync(opts.sources.stdout, 'a\n');
  await new Promise((r) => setTimeout(r, 100));
  fs.appendFileSync(opts.sources.stdout, 'b\n');
  await f.stop();
  running = false;
  await reading;
  assert.deepEqual(seen, ['a\n', 'b\n']);
});

test('readLogs --follow ends when the client aborts', async () => {
  const opts = setup();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const started = Date.now();
  assert.deepEqual(await collect(opts.logFile, { follow: true, signal: ac.signal, pollMs: 5000 }), []);
  assert.ok(Date.now() - started < 2000);
});

test('TTY output is logged as stdout lines', async () => {
  const opts = setup();
  const w = new TtyLogWriter(opts.logFile, () => '2026-01-01T00:00:00.000000000Z');
  await w.write(Buffer.from('$ ls\r\nfile'));
  await w.write(Buffer.from('s\r\n$ '));
  await w.close();
  assert.deepEqual(logs(await collect(opts.logFile)), ['stdout:$ ls\r\n', 'stdout:files\r\n', 'stdout:$ ']);
});

test('output files that do not exist yet at start are watched, not only polled', async () => {
  const opts = setup();
  fs.rmSync(opts.sources.stdout);
  fs.rmSync(opts.sources.stderr);
  // A poll far longer than the wait below: only the watch can deliver in time.
  const f = new LogFollower({ ...opts, pollMs: 60_000 });
  await f.start();
  assert.equal((fs.statSync(opts.sources.stdout).mode & 0o777), 0o640, 'made as the init would');
  const got = new Promise<LogEntry[]>((resolve) => f.once('entries', resolve));
  const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 2_000).unref());
  fs.appendFileSync(opts.sources.stdout, 'soon\n');
  const first = await Promise.race([got, timeout]);
  assert.notEqual(first, 'late', 'the write was seen through the watch');
  assert.deepEqual(logs(first as LogEntry[]), ['stdout:soon\n']);
  await f.stop();
});
