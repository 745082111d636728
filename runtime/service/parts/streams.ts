// The byte streams of the container API: attach (hijacked, stdin in, output out), logs (raw
// body) and exec start (hijacked). Without a TTY every chunk is a multiplexed frame (8-byte
// header naming stdout/stderr); with one the bytes go as they are (Engine API, "Attach").
import type { Writable } from 'node:stream';
import { ConflictError, describe, InvalidArgumentError } from '../../errors';
import { encodeFrame, formatEntry, parseTimeArg, readLogs, STREAM_IDS } from '../../container/logs';
import type { ContainerRecord } from '../../container/state';
import type { Call, Hijacked } from '../call';
import type { ContainerPart } from './containers';
import { execOutputs, type ExecConfig } from './exec';

const isRunning = (rec: ContainerRecord | undefined) => !!rec && ['running', 'paused', 'restarting'].includes(rec.state.status);

function writer(out: Writable, tty: boolean) {
  return (stream: 'stdout' | 'stderr', chunk: Buffer) => {
    if (out.writableEnded || out.destroyed) return;
    out.write(tty ? chunk : encodeFrame(STREAM_IDS[stream], chunk));
  };
}

/** POST /containers/{id}/attach?stream=&logs=&stdin=&stdout=&stderr= */
export async function attach(call: Call, part: ContainerPart): Promise<void> {
  const rec = part.store.get(call.params.id);
  const q = call.query;
  const stream = q.bool('stream');
  const logs = q.bool('logs');
  const want = { stdin: q.bool('stdin'), stdout: q.bool('stdout'), stderr: q.bool('stderr') };
  if (!stream && !logs) throw new InvalidArgumentError('Bad parameters: at least one of stream or logs must be set');
  // dockerd refuses only paused and restarting containers (daemon/attach.go): `docker start -a`
  // attaches to a stopped container before it starts it; the refusal of `docker attach` to a
  // stopped one is the docker CLI's own check.
  if (rec.state.status === 'paused') throw new ConflictError(`container ${call.params.id} is paused, unpause the container before attach`);
  if (rec.state.status === 'restarting') throw new ConflictError(`container ${call.params.id} is restarting, wait until the container is running`);
  const tty = rec.config.Tty;
  const conn = await call.hijack();
  call.ctx.events.publish({ Type: 'container', Action: 'attach', Actor: { ID: rec.id, Attributes: { ...rec.config.Labels, name: rec.name, image: rec.image } } });
  const write = writer(conn.output, tty);
  const emit = (s: 'stdout' | 'stderr', chunk: Buffer) => { if (want[s]) write(s, chunk); };
  if (logs) {
    for await (const e of readLogs(rec.logPath, { stdout: want.stdout, stderr: want.stderr })) emit(e.stream, formatEntry(e, false));
  }
  if (!stream) return conn.close();
  await follow(conn, part, rec, emit, want.stdin, call.signal);
}

/** Live output until the container's run ends (or the client leaves); stdin forwarded. */
function follow(conn: Hijacked, part: ContainerPart, rec: ContainerRecord, emit: (s: 'stdout' | 'stderr', c: Buffer) => void, stdin: boolean, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const pending: Buffer[] = [];
    let inputEnded = false;
    const flushStdin = () => {
      const sink = part.hub.stdin(rec.id);
      if (!sink) return;
      for (const b of pending.splice(0)) sink.write(b);
      // docker run -i sets StdinOnce: the container's stdin closes with the client's.
      if (inputEnded && rec.config.StdinOnce && !rec.config.Tty) sink.end();
    };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      conn.close();
      resolve();
    };
    const unsubscribe = part.hub.subscribe(rec.id, emit, { start: flushStdin, end: finish });
    if (stdin) {
      conn.input.on('data', (chunk: Buffer) => { pending.push(chunk); flushStdin(); });
      conn.input.on('end', () => { inputEnded = true; flushStdin(); });
    } else conn.input.resume();
    signal.addEventListener('abort', finish, { once: true });
    // Attached to a running container that stopped meanwhile: nothing will come. One that was
    // not running when the attach came (created or exited: docker start -a) waits for its start.
    const now = part.store.find(rec.id);
    if (isRunning(rec) && !isRunning(now)) finish();
  });
}

/**
 * dockerd's reading of ?tail= (daemon/logs.go): strconv.Atoi, and anything that is not a
 * number ("all", "abc") or is negative means every line — never an error.
 */
export function parseTail(text: string | undefined): number | undefined {
  if (!text || !/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 ? n : undefined;
}

/** GET /containers/{id}/logs */
export async function logs(call: Call, part: ContainerPart): Promise<void> {
  const rec = part.store.get(call.params.id);
  const q = call.query;
  const stdout = q.bool('stdout');
  const stderr = q.bool('stderr');
  if (!stdout && !stderr) throw new InvalidArgumentError('Bad parameters: you must choose at least one stream');
  const time = (name: string) => {
    const v = q.string(name);
    if (!v || v === '0') return undefined;
    try {
      return parseTimeArg(v);
    } catch (err) {
      throw new InvalidArgumentError(`invalid value for ${name}: ${describe(err)}`);
    }
  };
  const tail = parseTail(q.string('tail'));
  const since = time('since');
  const until = time('until');
  const timestamps = q.bool('timestamps');
  const conn = await call.hijack();
  const write = writer(conn.output, rec.config.Tty);
  const entries = readLogs(rec.logPath, {
    stdout, stderr, since, until, tail, follow: q.bool('follow'), signal: call.signal,
    isRunning: () => isRunning(part.store.find(rec.id)), pollMs: 250,
  });
  try {
    for await (const e of entries) write(e.stream, formatEntry(e, timestamps));
  } finally {
    conn.close();
  }
}

/** POST /exec/{id}/start: runs the exec and streams it (or only starts it with Detach). */
export async function execStart(call: Call, part: ContainerPart): Promise<void> {
  const body = (await call.json<{ Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] | null }>()) ?? {};
  const inst = part.execs.get(call.params.id);
  const cfg: ExecConfig = inst.config;
  if (body.Detach) {
    await part.execs.start(inst.id, { tty: body.Tty, consoleSize: body.ConsoleSize, stdin: false });
    return call.reply(200);
  }
  const tty = body.Tty ?? cfg.Tty ?? false;
  const conn = await call.hijack();
  const write = writer(conn.output, tty);
  let started;
  try {
    started = await part.execs.start(inst.id, { tty, consoleSize: body.ConsoleSize, stdin: cfg.AttachStdin ?? false });
  } catch (err) {
    // As dockerd: the failure is the stream's content; the exit code is in GET /exec/{id}/json.
    write('stdout', Buffer.from(`${describe(err)}\r\n`));
    return conn.close();
  }
  const proc = started.proc;
  const outputs = execOutputs(proc).filter((o) => (o.stream === 'stdout' ? cfg.AttachStdout !== false : cfg.AttachStderr !== false) || tty);
  const ends = outputs.map((o) => new Promise<void>((resolve) => {
    o.readable.on('data', (chunk: Buffer) => write(o.stream, chunk));
    o.readable.once('end', resolve);
    o.readable.once('error', () => resolve());
    o.readable.once('close', resolve);
  }));
  for (const o of execOutputs(proc)) if (!outputs.includes(o)) o.readable.resume();
  const sink = proc.terminal?.input ?? proc.stdin;
  if (cfg.AttachStdin && sink) {
    conn.input.on('data', (chunk: Buffer) => { if (!sink.writableEnded) sink.write(chunk); });
    conn.input.on('end', () => { if (!tty && !sink.writableEnded) sink.end(); });
  } else conn.input.resume();
  // The client went away: closing the PTY master hangs the terminal's session up (SIGHUP).
  call.signal.addEventListener('abort', () => { if (started.running) proc.terminal?.close(); }, { once: true });
  await started.done;
  // A PTY's master reports EIO rather than EOF: give the last output a moment, then close it.
  if (proc.terminal) {
    await Promise.race([Promise.all(ends), new Promise((r) => setTimeout(r, 100))]);
    proc.terminal.close();
  } else await Promise.all(ends);
  conn.close();
}
