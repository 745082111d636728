// The service's Unix socket: created with mode 0660 in a directory the service owns, never a
// TCP port. A socket file left by a killed service is detected (nobody answers on it) and
// removed; one that answers belongs to a live service and is an error.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type http from 'node:http';
import { ConflictError, SlipwayError } from '../errors';

export const SOCKET_MODE = 0o660;

/** Resolves true when something accepts connections on `socketPath`. */
export function socketAnswers(socketPath: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(true)); // connected but silent is still "in use"
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Removes a stale socket file; refuses to touch a live socket or a file that is not a socket. */
export async function clearStaleSocket(socketPath: string): Promise<boolean> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(socketPath);
  } catch {
    return false;
  }
  if (!st.isSocket()) throw new SlipwayError(`${socketPath} exists and is not a socket; remove it or choose another SLIPWAY_SOCKET`);
  if (await socketAnswers(socketPath)) throw new ConflictError(`socket ${socketPath} is in use by another service`);
  fs.rmSync(socketPath, { force: true });
  return true;
}

/** The gid of group `name` from an /etc/group text, if present. */
export function groupId(groupFile: string, name: string): number | undefined {
  for (const line of groupFile.split('\n')) {
    const [g, , gid] = line.split(':');
    if (g === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

/**
 * Listens on `socketPath` with mode 0660 (group "slipway" when that group exists, as Docker
 * uses "docker"). The umask is narrowed around bind(2) so the socket is never reachable with
 * wider permissions, not even between bind and chmod.
 */
export async function listenUnix(server: http.Server, socketPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o711 });
  const old = process.umask(0o117);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => { server.off('error', reject); resolve(); });
    });
  } catch (cause) {
    throw new SlipwayError(`cannot listen on ${socketPath}`, { cause });
  } finally {
    process.umask(old);
  }
  fs.chmodSync(socketPath, SOCKET_MODE);
  try {
    const gid = groupId(fs.readFileSync('/etc/group', 'utf8'), 'slipway');
    if (gid !== undefined) fs.chownSync(socketPath, 0, gid);
  } catch {
    // no /etc/group or not allowed (rootless): root-only access is the safe default
  }
}

/** Removes our socket file unless another service has replaced it since (inode check). */
export function removeSocket(socketPath: string, ino: number | undefined): void {
  try {
    if (ino === undefined || fs.lstatSync(socketPath).ino === ino) fs.rmSync(socketPath, { force: true });
  } catch {
    // already gone
  }
}
