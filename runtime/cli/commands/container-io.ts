// The CLI's side of attach and exec streams: demultiplex the output (or copy it raw with a
// TTY), forward stdin (raw mode when it is a terminal) and keep the remote terminal's size in
// step with ours (SIGWINCH), as the docker CLI does. Also small shared helpers of the
// container commands.
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { ApiClient } from '../../client';
import { readAll } from '../../client/client';
import { errorText } from '../dispatch';
import { FrameDecoder } from '../../container/logs';
import { InvalidArgumentError } from '../../errors';
import { withClient } from '../api';
import type { CliContext, Command } from '../command';
import { drainCanonicalInput } from './tty-input';

export interface StreamOptions {
  tty: boolean;
  /** Forward this process's stdin. */
  stdin: boolean;
}

/** Copies a hijacked stream to stdout/stderr (and stdin to it) until the service ends it. */
export function pumpStreams(socket: Socket, ctx: CliContext, o: StreamOptions): Promise<void> {
  // process.stdin is a lazy getter that builds a stream (a TTY, pipe or file reader): only
  // touch it when stdin is forwarded.
  const input = o.stdin ? process.stdin : undefined;
  const raw = !!input && o.tty && input.isTTY;
  // Read right before the switch, so no ^D typed meanwhile turns into a NUL (tty-input.ts).
  const early = input && raw ? drainCanonicalInput(input.fd) : undefined;
  if (input && raw) {
    input.setRawMode(true);
    // libuv's raw mode keeps ONLCR, so the remote PTY's "\r\n" would arrive as "\r\r\n";
    // Go's term.MakeRaw (the docker CLI's) turns output processing off too. setRawMode(false)
    // restores the original settings.
    // child_process is required here, not at the top: every `slipway run`/`exec` would load it
    // (and dgram, which it pulls in) for the -t case alone.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:child_process') as typeof import('node:child_process')).spawnSync('stty', ['-onlcr'], { stdio: ['inherit', 'ignore', 'ignore'] });
  }
  socket.on('data', demux(ctx, o.tty));
  const onInput = (chunk: Buffer) => { if (!socket.writableEnded) socket.write(chunk); };
  const onInputEnd = () => { if (!socket.writableEnded) socket.end(); };
  if (input) {
    if (early?.length) onInput(early);
    input.on('data', onInput);
    input.once('end', onInputEnd);
  }
  return new Promise((resolve) => {
    const done = () => {
      if (input) {
        input.off('data', onInput);
        input.off('end', onInputEnd);
        if (raw) input.setRawMode(false);
        input.pause();
        // Let the process exit although stdin is still open.
        (input as unknown as { unref?: () => void }).unref?.();
      }
      resolve();
    };
    socket.once('close', done);
    socket.once('error', done);
  });
}

/** A data handler writing raw (TTY) or multiplexed output to stdout/stderr. */
function demux(ctx: CliContext, tty: boolean): (chunk: Buffer) => void {
  const decoder = new FrameDecoder();
  return (chunk) => {
    if (tty) ctx.stdout.write(chunk);
    else for (const f of decoder.push(chunk)) (f.stream === 2 ? ctx.stderr : ctx.stdout).write(f.data);
  };
}

/** Copies an output-only stream (a logs body) until it ends. */
export function copyOutput(body: Readable, ctx: CliContext, tty: boolean): Promise<void> {
  body.on('data', demux(ctx, tty));
  return new Promise((resolve, reject) => {
    body.once('end', resolve);
    body.once('error', reject);
  });
}

/** Sends our terminal's size now and on every SIGWINCH; returns the function that stops it. */
export function followTerminalSize(api: ApiClient, resizePath: string): () => void {
  const out = process.stdout;
  if (!out.isTTY) return () => undefined;
  const send = () => {
    api.request('POST', resizePath, { query: { h: out.rows, w: out.columns } }).then((res) => res.resume(), () => undefined);
  };
  send();
  process.on('SIGWINCH', send);
  return () => process.off('SIGWINCH', send);
}

/**
 * POST /containers/{id}/wait whose headers have arrived (the service has registered the
 * wait); the returned promise gives the exit status once the condition is met.
 */
export async function registerWait(api: ApiClient, id: string, condition: 'next-exit' | 'removed' | 'not-running'): Promise<{ result: Promise<{ StatusCode: number; Error?: { Message: string } | null }> }> {
  const res = await api.request('POST', `/containers/${id}/wait`, { query: { condition }, timeoutMs: 0 });
  // Wrapped: an async function returning a bare promise would wait for it (the exit).
  return { result: readAll(res).then((text) => JSON.parse(text) as { StatusCode: number; Error?: { Message: string } | null }) };
}

/** Exactly `n` positionals, or docker's usage error. */
export function needArgs(command: string, positionals: readonly string[], min: number, what: string): void {
  if (positionals.length < min) throw new InvalidArgumentError(`"slipway ${command}" requires at least ${min} argument${min === 1 ? '' : 's'}: ${what}`);
}

export interface ForEachOptions {
  /**
   * Print each error as it happens, then `failedLine(refs that failed)`: docker start does so
   * ("Error: failed to start containers: a, b"). Otherwise the errors come after every result,
   * as the docker CLI's errors.Join prints them for pause, unpause, stop, kill, rm and wait.
   */
  failedLine?: (failed: readonly string[]) => string;
}

/** Runs `fn` for every container argument in order; prints each result on stdout, errors on stderr; exit 1 if any failed. */
export async function forEach(ctx: CliContext, refs: readonly string[], fn: (ref: string) => Promise<string | undefined>, options: ForEachOptions = {}): Promise<number> {
  const failed: string[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    try {
      const out = await fn(ref);
      if (out !== undefined) ctx.stdout.write(`${out}\n`);
    } catch (err) {
      failed.push(ref);
      if (options.failedLine) ctx.stderr.write(`${errorText(err)}\n`);
      else errors.push(errorText(err));
    }
  }
  for (const e of errors) ctx.stderr.write(`${e}\n`);
  if (failed.length > 0 && options.failedLine) ctx.stderr.write(`${options.failedLine(failed)}\n`);
  return failed.length > 0 ? 1 : 0;
}

/**
 * A command that POSTs /containers/{ref}/{action} for each container named and prints each
 * name (docker start, pause, unpause: no options, the same usage text).
 */
export function containerActionCommand(action: 'start' | 'pause' | 'unpause', summary: string, options: ForEachOptions = {}): Command {
  return {
    name: action,
    summary,
    usage: [`Usage:  slipway ${action} [OPTIONS] CONTAINER [CONTAINER...]`, '', summary].join('\n'),
    async run(args, ctx) {
      const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
      needArgs(action, positionals, 1, 'CONTAINER [CONTAINER...]');
      return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
        await api.post(`/containers/${encodeURIComponent(ref)}/${action}`);
        return ref;
      }, options));
    },
  };
}
