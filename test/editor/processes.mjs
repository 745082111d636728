// Process clean-up for the editor driver: code-server runs in its own process group (ending only
// its parent would leave helpers behind), and the runtime service the extension starts is
// detached on purpose, so it is found by the unique SLIPWAY_ROOT this run gave it.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout } from 'node:timers';

export const CODE_SERVER_VERSION = '4.139.1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(target) {
  try { process.kill(target, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/** SIGTERM, then SIGKILL after `graceMs`, for a pid or (negative) a process group. */
async function terminate(target, graceMs) {
  try { process.kill(target, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (alive(target) && Date.now() < deadline) await sleep(100);
  if (alive(target)) { try { process.kill(target, 'SIGKILL'); } catch { /* gone meanwhile */ } }
}

/** Ends the whole process group led by `child` (spawned with detached: true). */
export async function killGroup(child, graceMs = 5000) {
  if (child?.pid) await terminate(-child.pid, graceMs);
}

/** Pids whose environment holds exactly KEY=VALUE (only processes this run started carry it). */
export function pidsWithEnv(key, value) {
  const needle = `${key}=${value}\0`;
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').map((e) => e + '\0').includes(needle)) pids.push(Number(entry));
    } catch { /* exited or not ours to read */ }
  }
  return pids;
}

export async function killProcessesWithEnv(key, value, graceMs = 5000) {
  await Promise.all(pidsWithEnv(key, value).map((pid) => terminate(pid, graceMs)));
}
