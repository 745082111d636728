// POST /containers/{id}/exec body → the ProcessSpec of the extra process, as moby's exec
// does it: the container's environment (PATH, HOSTNAME, TERM with a TTY, its Env) with the
// exec's Env over it, the exec's user/workdir or the container's, the container's
// capabilities (all of them with Privileged) and no_new_privs setting.
import { InvalidArgumentError } from '../../errors';
import type { ProcessSpec } from '../spec';
import { tweakCapabilities } from './capabilities';
import { ULIMIT_NAMES } from './defaults';
import { mergeEnv } from './merge';
import { containerEnv } from './runtime-spec';
import type { MergedConfig, StrSlice } from './types';
import type { ResolvedUser } from './user';

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

/** Checks an exec request before any process is made (Docker's wording). */
export function checkExecRequest(req: ExecRequest): string[] {
  const cmd = typeof req.Cmd === 'string' ? [req.Cmd] : req.Cmd ?? [];
  if (cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
  if (req.WorkingDir && !req.WorkingDir.startsWith('/')) {
    throw new InvalidArgumentError(`the working directory '${req.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  return cmd;
}

/**
 * `user` is the exec's User (or, when it has none, the container's) resolved in the container;
 * `boundingCapabilities` what "all" capabilities means (the service's bounding set).
 */
export function buildExecProcess(merged: MergedConfig, req: ExecRequest, user: ResolvedUser, boundingCapabilities?: readonly string[]): ProcessSpec {
  const args = checkExecRequest(req);
  const hc = merged.hostConfig;
  const caps = tweakCapabilities(hc.CapAdd, hc.CapDrop, hc.Privileged === true || req.Privileged === true, boundingCapabilities);
  const base = containerEnv({ ...merged, config: { ...merged.config, Tty: req.Tty === true } }, user.home);
  return {
    terminal: req.Tty === true,
    ...(req.Tty && req.ConsoleSize ? { consoleSize: { height: req.ConsoleSize[0], width: req.ConsoleSize[1] } } : {}),
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids, umask: 0o022 },
    args,
    env: mergeEnv(base, req.Env ?? []),
    cwd: req.WorkingDir || merged.config.WorkingDir || '/',
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    noNewPrivileges: (hc.SecurityOpt ?? []).some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o)),
    ...((hc.Ulimits ?? []).length ? { rlimits: (hc.Ulimits ?? []).map((u) => ({ type: ULIMIT_NAMES[u.Name], soft: u.Soft, hard: u.Hard })) } : {}),
  };
}
