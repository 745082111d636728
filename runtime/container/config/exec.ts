// POST /containers/{id}/exec body → the ProcessSpec of the extra process. The one builder of
// it: the service's exec instances and health probes, and the manager's execTarget, all come
// here. As moby does it (daemon/exec.go, execSetPlatformOpt): the container's environment
// (PATH, HOSTNAME, TERM with a TTY, its Env, HOME) with the exec's Env over it; the exec's
// user/workdir, or the container's; the container's capabilities (every one the service holds
// with Privileged, on the exec or the container), no_new_privs and rlimits (Ulimits) — an
// exec'd process is held to the container's limits like its PID 1; the container's --group-add
// groups too (moby's getUser adds HostConfig.GroupAdd for every process).
import { InvalidArgumentError } from '../../errors';
import type { ProcessSpec } from '../spec';
import { tweakCapabilities } from './capabilities';
import { mergeEnv } from './merge';
import { containerEnv, securityOpt, toRlimits } from './runtime-spec';
import type { MergedConfig, StrSlice } from './types';
import { withGroupAdd, type ResolvedUser } from './user';

export interface ExecRequest {
  Cmd?: StrSlice;
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  Privileged?: boolean;
  /** [height, width] */
  ConsoleSize?: [number, number] | null;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
}

/** Checks an exec request before any process is made (Docker's wording); returns its argv. */
export function checkExecRequest(req: ExecRequest): string[] {
  const cmd = typeof req.Cmd === 'string' ? [req.Cmd] : req.Cmd ?? [];
  if (cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
  if (req.WorkingDir && !req.WorkingDir.startsWith('/')) {
    throw new InvalidArgumentError(`the working directory '${req.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  if (req.ConsoleSize && (req.ConsoleSize.length !== 2 || req.ConsoleSize.some((n) => !Number.isInteger(n) || n < 0))) {
    throw new InvalidArgumentError(`invalid ConsoleSize ${JSON.stringify(req.ConsoleSize)}: expected [height, width] as non-negative integers`);
  }
  return cmd;
}

/**
 * `user` is the exec's User (or, when it has none, the container's) resolved against the
 * container's /etc/passwd and /etc/group; `boundingCapabilities` what "all" capabilities means
 * (the service's bounding set; every known one when omitted).
 */
export function buildExecProcess(merged: MergedConfig, req: ExecRequest, user: ResolvedUser, boundingCapabilities?: readonly string[]): ProcessSpec {
  const args = checkExecRequest(req);
  const hc = merged.hostConfig;
  const tty = req.Tty === true;
  const caps = tweakCapabilities(hc.CapAdd, hc.CapDrop, hc.Privileged === true || req.Privileged === true, boundingCapabilities);
  const rlimits = toRlimits(hc);
  return {
    terminal: tty,
    ...(tty && req.ConsoleSize ? { consoleSize: { height: req.ConsoleSize[0], width: req.ConsoleSize[1] } } : {}),
    user: { uid: user.uid, gid: user.gid, additionalGids: withGroupAdd(user, hc.GroupAdd), umask: 0o022 },
    args,
    env: mergeEnv(containerEnv({ ...merged, config: { ...merged.config, Tty: tty } }, user.home), req.Env ?? []),
    cwd: req.WorkingDir || merged.config.WorkingDir || '/',
    // Since Docker 20.10.14 (CVE-2022-24769) the inheritable set is empty; ambient too.
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    noNewPrivileges: securityOpt(hc, 'no-new-privileges'),
    ...(rlimits.length ? { rlimits } : {}),
  };
}
