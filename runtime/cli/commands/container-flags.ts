// `slipway run` / `slipway create` flags → the Engine API's create body, as the docker CLI
// builds it. Flags stop at the image (everything after it is the command), short booleans
// combine (`-it`, `-dit`), and each flag is one row of FLAGS. The value parsers with the
// docker CLI's error wording live in runtime/container/config/flags.ts.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../errors';
import {
  flagError, parseCpus, parseEnvFile, parseEnvFlag, parseMemoryFlag, parsePublish, parseRestartFlag, parseUlimit, parseVolumeFlag,
  type CreateRequest,
} from '../../container/config';
import { HEALTH_FLAG_NAMES, healthcheckFromFlags } from '../../container/health/flags';

type Kind = 'bool' | 'string' | 'list';
interface FlagSpec { long: string; short?: string; kind: Kind }

/** The flags `run` and `create` accept (run adds -d and --rm handling on top). */
export const FLAGS: readonly FlagSpec[] = [
  { long: 'detach', short: 'd', kind: 'bool' },
  { long: 'rm', kind: 'bool' },
  { long: 'interactive', short: 'i', kind: 'bool' },
  { long: 'tty', short: 't', kind: 'bool' },
  { long: 'name', kind: 'string' },
  { long: 'env', short: 'e', kind: 'list' },
  { long: 'env-file', kind: 'list' },
  { long: 'workdir', short: 'w', kind: 'string' },
  { long: 'user', short: 'u', kind: 'string' },
  { long: 'group-add', kind: 'list' },
  { long: 'entrypoint', kind: 'string' },
  { long: 'hostname', kind: 'string' },
  { long: 'publish', short: 'p', kind: 'list' },
  { long: 'expose', kind: 'list' },
  { long: 'volume', short: 'v', kind: 'list' },
  { long: 'tmpfs', kind: 'list' },
  { long: 'memory', short: 'm', kind: 'string' },
  { long: 'memory-swap', kind: 'string' },
  { long: 'memory-reservation', kind: 'string' },
  { long: 'shm-size', kind: 'string' },
  { long: 'cpus', kind: 'string' },
  { long: 'cpu-shares', short: 'c', kind: 'string' },
  { long: 'cpu-quota', kind: 'string' },
  { long: 'cpu-period', kind: 'string' },
  { long: 'pids-limit', kind: 'string' },
  { long: 'network', kind: 'string' },
  { long: 'net', kind: 'string' },
  { long: 'restart', kind: 'string' },
  { long: 'cap-add', kind: 'list' },
  { long: 'cap-drop', kind: 'list' },
  { long: 'privileged', kind: 'bool' },
  { long: 'read-only', kind: 'bool' },
  { long: 'init', kind: 'bool' },
  { long: 'label', short: 'l', kind: 'list' },
  { long: 'stop-signal', kind: 'string' },
  { long: 'stop-timeout', kind: 'string' },
  { long: 'ulimit', kind: 'list' },
  { long: 'security-opt', kind: 'list' },
  ...HEALTH_FLAG_NAMES.map((long) => ({ long, kind: 'string' as const })),
  { long: 'no-healthcheck', kind: 'bool' },
];

export interface ParsedRun {
  values: { bool: Record<string, boolean>; string: Record<string, string>; list: Record<string, string[]> };
  image: string;
  command: string[];
}

/** Splits argv into flags, the image and the command (docker's "flags stop at the image"). */
export function parseRunArgs(args: readonly string[], flags: readonly FlagSpec[] = FLAGS): ParsedRun {
  const values: ParsedRun['values'] = { bool: {}, string: {}, list: {} };
  const set = (spec: FlagSpec, value: string | undefined, shown: string) => {
    if (spec.kind === 'bool') {
      if (value !== undefined && !['true', 'false', '1', '0'].includes(value)) throw flagError(shown, value, 'invalid syntax');
      values.bool[spec.long] = value === undefined || value === 'true' || value === '1';
    } else if (value === undefined) throw new InvalidArgumentError(`flag needs an argument: ${shown}`);
    else if (spec.kind === 'string') values.string[spec.long] = value;
    else (values.list[spec.long] ??= []).push(value);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = flags.find((f) => f.long === name);
      if (!spec) throw new InvalidArgumentError(`unknown flag: --${name}`);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      set(spec, inline ?? (spec.kind === 'bool' ? undefined : args[++i]), `--${name}`);
      continue;
    }
    // -it, -dit, -e K=V, -eK=V, -p80:80
    for (let j = 1; j < a.length; j++) {
      const spec = flags.find((f) => f.short === a[j]);
      if (!spec) throw new InvalidArgumentError(`unknown shorthand flag: '${a[j]}' in ${a}`);
      if (spec.kind === 'bool') { set(spec, undefined, `-${a[j]}`); continue; }
      const rest = a.slice(j + 1).replace(/^=/, '');
      set(spec, rest !== '' ? rest : args[++i], `-${spec.short}, --${spec.long}`);
      break;
    }
  }
  if (i >= args.length) throw new InvalidArgumentError('requires at least 1 argument: IMAGE [COMMAND] [ARG...]');
  return { values, image: args[i], command: args.slice(i + 1) };
}

function intFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw flagError(flag, value, 'strconv.ParseInt: parsing "' + value + '": invalid syntax');
  return Number(value);
}

function healthcheckBody(str: Record<string, string>, bool: Record<string, boolean>): Pick<CreateRequest, 'Healthcheck'> {
  const hc = healthcheckFromFlags({
    cmd: str['health-cmd'], interval: str['health-interval'], timeout: str['health-timeout'], startPeriod: str['health-start-period'],
    startInterval: str['health-start-interval'], retries: str['health-retries'], noHealthcheck: bool['no-healthcheck'],
  });
  return hc ? { Healthcheck: hc } : {};
}

/** The create request body (and the name) for parsed `run`/`create` flags. */
export function toCreateRequest(parsed: ParsedRun, env: NodeJS.ProcessEnv): { body: CreateRequest; name?: string } {
  const { bool, string: str, list } = parsed.values;
  const lookup = (n: string) => env[n];
  const envs = [
    ...(list['env-file'] ?? []).flatMap((f) => {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch (err) {
        throw new InvalidArgumentError(`open ${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      }
      return parseEnvFile(text, f, lookup);
    }),
    ...(list.env ?? []).map((e) => parseEnvFlag(e, lookup)),
  ];
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>> = {};
  for (const spec of list.publish ?? []) {
    for (const p of parsePublish(spec)) {
      exposed[p.port] = {};
      (bindings[p.port] ??= []).push(p.binding);
    }
  }
  for (const e of list.expose ?? []) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  const binds: string[] = [];
  const volumes: Record<string, object> = {};
  for (const v of list.volume ?? []) {
    const r = parseVolumeFlag(v);
    if ('bind' in r) binds.push(r.bind);
    else volumes[r.anonymous] = {};
  }
  const tmpfs: Record<string, string> = {};
  for (const t of list.tmpfs ?? []) {
    const colon = t.indexOf(':');
    tmpfs[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? '' : t.slice(colon + 1);
  }
  const labels: Record<string, string> = {};
  for (const l of list.label ?? []) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  const interactive = bool.interactive ?? false;
  const detach = bool.detach ?? false;
  const body: CreateRequest = {
    Image: parsed.image,
    Cmd: parsed.command.length ? parsed.command : null,
    ...(str.entrypoint !== undefined ? { Entrypoint: str.entrypoint === '' ? [''] : [str.entrypoint] } : {}),
    Env: envs,
    Tty: bool.tty ?? false,
    OpenStdin: interactive,
    StdinOnce: interactive && !detach,
    AttachStdin: interactive && !detach,
    AttachStdout: !detach,
    AttachStderr: !detach,
    ...(str.workdir ? { WorkingDir: str.workdir } : {}),
    ...(str.user ? { User: str.user } : {}),
    ...(str.hostname ? { Hostname: str.hostname } : {}),
    ExposedPorts: exposed,
    Volumes: volumes,
    Labels: labels,
    ...(str['stop-signal'] ? { StopSignal: str['stop-signal'] } : {}),
    ...(str['stop-timeout'] ? { StopTimeout: intFlag('--stop-timeout', str['stop-timeout']) } : {}),
    ...healthcheckBody(str, bool),
    HostConfig: {
      Binds: binds,
      PortBindings: bindings,
      AutoRemove: bool.rm ?? false,
      NetworkMode: str.network ?? str.net ?? 'default',
      Tmpfs: tmpfs,
      CapAdd: list['cap-add'] ?? null,
      CapDrop: list['cap-drop'] ?? null,
      Privileged: bool.privileged ?? false,
      ReadonlyRootfs: bool['read-only'] ?? false,
      SecurityOpt: list['security-opt'] ?? null,
      ...(list['group-add'] ? { GroupAdd: list['group-add'] } : {}),
      ...(bool.init ? { Init: true } : {}),
      ...(str.restart ? { RestartPolicy: parseRestartFlag(str.restart) } : {}),
      ...(str.memory ? { Memory: parseMemoryFlag('-m, --memory', str.memory) } : {}),
      ...(str['memory-swap'] ? { MemorySwap: parseMemoryFlag('--memory-swap', str['memory-swap'], true) } : {}),
      ...(str['memory-reservation'] ? { MemoryReservation: parseMemoryFlag('--memory-reservation', str['memory-reservation']) } : {}),
      ...(str['shm-size'] ? { ShmSize: parseMemoryFlag('--shm-size', str['shm-size']) } : {}),
      ...(str.cpus ? { NanoCpus: parseCpus(str.cpus) } : {}),
      ...(str['cpu-shares'] ? { CpuShares: intFlag('-c, --cpu-shares', str['cpu-shares']) } : {}),
      ...(str['cpu-quota'] ? { CpuQuota: intFlag('--cpu-quota', str['cpu-quota']) } : {}),
      ...(str['cpu-period'] ? { CpuPeriod: intFlag('--cpu-period', str['cpu-period']) } : {}),
      ...(str['pids-limit'] ? { PidsLimit: intFlag('--pids-limit', str['pids-limit']) } : {}),
      ...(list.ulimit ? { Ulimits: list.ulimit.map(parseUlimit) } : {}),
    },
  };
  if (body.HostConfig?.AutoRemove && body.HostConfig.RestartPolicy && body.HostConfig.RestartPolicy.Name !== 'no') {
    throw new InvalidArgumentError('conflicting options: cannot specify both --restart and --rm');
  }
  return { body, ...(str.name ? { name: str.name } : {}) };
}
