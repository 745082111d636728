// The process half of the set-up, shared by the init (for `run`) and the exec Worker (for
// `exec`): rlimits, umask, bounding set, user and groups, capability sets, ambient set and
// no_new_privs — in runc's order (finalizeNamespace): drop the bounding set while still root,
// keep the permitted set across the uid change with PR_SET_KEEPCAPS, switch groups then gid
// then uid with raw syscalls (thread-only; DESIGN.md fact 5), then capset the final sets.
import { CAPABILITIES, PR, PR_CAP_AMBIENT, RLIMITS, capabilityMask } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import type { ProcessSpec } from '../spec';
import { step } from './steps';

/** Highest capability number the running kernel knows (/proc/sys/kernel/cap_last_cap). */
export type CapLastCap = number;

export function applyRlimits(sys: Syscalls, rlimits: ProcessSpec['rlimits']): void {
  for (const r of rlimits ?? []) {
    step('set rlimit', r.type, () => {
      const resource = RLIMITS[r.type.toUpperCase()];
      if (resource === undefined) throw new Error(`unknown rlimit type "${r.type}"`);
      // Never above the current hard limit: root here lacks CAP_SYS_RESOURCE (DESIGN.md, peers).
      const current = sys.getrlimit(resource);
      const hard = Math.min(r.hard, current.hard);
      sys.setrlimit(resource, { soft: Math.min(r.soft, hard), hard });
    });
  }
}

export function applyUmask(sys: Syscalls, proc: ProcessSpec): void {
  step('set umask', undefined, () => sys.umask(proc.user.umask ?? 0o022));
}

/** Drops, switches and sets; `capLastCap` bounds the PR_CAPBSET_DROP loop. */
export function applyCredentials(sys: Syscalls, proc: ProcessSpec, capLastCap: CapLastCap): void {
  const caps = proc.capabilities;
  if (caps) {
    const [lo, hi] = step('capabilities', 'bounding', () => capabilityMask(caps.bounding));
    step('drop bounding capabilities', undefined, () => {
      for (let bit = 0; bit <= capLastCap; bit++) {
        const kept = bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1;
        if (!kept) sys.prctl(PR.CAPBSET_DROP, bit);
      }
    });
    step('keep capabilities across the user switch', undefined, () => sys.prctl(PR.SET_KEEPCAPS, 1));
  }
  const { uid, gid, additionalGids } = proc.user;
  step('set groups', String(gid), () => {
    sys.setgroups(additionalGids ?? []);
    sys.setresgid(gid, gid, gid);
  });
  step('set user', String(uid), () => sys.setresuid(uid, uid, uid));
  if (caps) {
    step('set capabilities', undefined, () => {
      sys.prctl(PR.SET_KEEPCAPS, 0);
      sys.capset({
        effective: capabilityMask(caps.effective),
        permitted: capabilityMask(caps.permitted),
        inheritable: capabilityMask(caps.inheritable),
      });
      for (const name of caps.ambient ?? []) {
        sys.prctl(PR.CAP_AMBIENT, PR_CAP_AMBIENT.RAISE, CAPABILITIES[name.toUpperCase()] ?? CAPABILITIES[`CAP_${name.toUpperCase()}`]);
      }
    });
  }
  if (proc.noNewPrivileges) step('set no_new_privs', undefined, () => sys.prctl(PR.SET_NO_NEW_PRIVS, 1));
}

/** "K=V" list → an object for child_process; later duplicates win as in execve users. */
export function envObject(env: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}
