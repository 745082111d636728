// Finding or starting the service, the way the CLI and the extension both need it.
//
// ensureService pings the socket; when nothing answers it starts the service detached (with
// `execPath` — the extension host's own executable under ELECTRON_RUN_AS_NODE=1, harmless
// under plain node — running dist/service.js), then waits for /_ping with backoff. Two
// callers in one process share one start; callers in different processes may both spawn,
// but the service's state lock lets only one of them live, and both then find it answering.
import fs from 'node:fs';
import path from 'node:path';
import { SlipwayError } from '../errors';
import { bundlePath } from '../paths';
import { liveOwner, ownerAlive, type LockInfo } from '../service/lock';
import { ApiClient } from './client';

export interface EnsureOptions {
  socketPath: string;
  stateRoot: string;
  /** Environment of the service; SLIPWAY_SOCKET/SLIPWAY_ROOT are set from the options. */
  env?: NodeJS.ProcessEnv;
  /** The Node to run the service with; default process.execPath. */
  execPath?: string;
  /** The service bundle; default dist/service.js. */
  servicePath?: string;
  /** How long to wait for the first /_ping after starting; default 5 s. */
  timeoutMs?: number;
}

export interface EnsureResult {
  /** True when this call started the service. */
  started: boolean;
  pid?: number;
}

const starting = new Map<string, Promise<EnsureResult>>();

/** The file the detached service's stdout/stderr go to (its start-up errors land here). */
export const serviceOutputPath = (stateRoot: string) => path.join(stateRoot, 'service.out');

export async function ensureService(options: EnsureOptions): Promise<EnsureResult> {
  if (await pingOnce(options.socketPath)) return { started: false };
  let pending = starting.get(options.socketPath);
  if (!pending) {
    pending = start(options).finally(() => starting.delete(options.socketPath));
    starting.set(options.socketPath, pending);
  }
  return pending;
}

async function start(options: EnsureOptions): Promise<EnsureResult> {
  const { socketPath, stateRoot } = options;
  const servicePath = options.servicePath ?? bundlePath('service.js');
  if (!fs.existsSync(servicePath)) throw new SlipwayError(`cannot start the slipway service: ${servicePath} is missing (run npm run build)`);
  fs.mkdirSync(stateRoot, { recursive: true, mode: 0o711 });
  const outFile = serviceOutputPath(stateRoot);
  const out = fs.openSync(outFile, 'a', 0o640);
  const startOffset = fs.fstatSync(out).size;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let pid: number | undefined;
  try {
    // Required on use: the CLI bundles this module into every command, and most never start a service.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(options.execPath ?? process.execPath, [servicePath], {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1', SLIPWAY_SOCKET: socketPath, SLIPWAY_ROOT: stateRoot },
    });
    pid = child.pid;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    child.on('error', () => { exited = { code: -1, signal: null }; });
    child.unref();
  } finally {
    fs.closeSync(out);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  let delay = 20;
  // An early exit may just mean another starter won the lock: keep pinging a little longer.
  let exitGrace: number | undefined;
  while (Date.now() < deadline) {
    if (await pingOnce(socketPath)) return { started: exited === undefined, pid: exited === undefined ? pid : liveOwner(stateRoot)?.pid };
    if (exited && exitGrace === undefined) exitGrace = Date.now() + 1_000;
    if (exitGrace !== undefined && Date.now() > exitGrace) break;
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
  const output = tail(outFile, startOffset);
  const why = exited ? `it exited (${exited.signal ?? `code ${exited.code}`})` : `it did not answer on ${socketPath} in time`;
  throw new SlipwayError(`the slipway service did not start: ${why}${output ? `:\n${output}` : ''} (see ${outFile})`);
}

export interface StopResult {
  /** The service that was stopped; undefined when none was running. */
  stopped?: LockInfo;
}

/** Sends SIGTERM to the service that holds the state lock and waits for it to exit. */
export async function stopService(options: { stateRoot: string; timeoutMs?: number }): Promise<StopResult> {
  const owner = liveOwner(options.stateRoot);
  if (!owner) return {};
  try {
    process.kill(owner.pid, 'SIGTERM');
  } catch (cause) {
    throw new SlipwayError(`cannot stop the slipway service (pid ${owner.pid})`, { cause });
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (!ownerAlive(owner)) return { stopped: owner };
    await sleep(50);
  }
  throw new SlipwayError(`the slipway service (pid ${owner.pid}) did not stop within ${options.timeoutMs ?? 10_000} ms`);
}

async function pingOnce(socketPath: string): Promise<boolean> {
  const client = new ApiClient({ socketPath });
  try {
    return await client.ping(1_000);
  } finally {
    client.close();
  }
}

function tail(file: string, from: number): string {
  try {
    return fs.readFileSync(file).subarray(from).toString('utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
