// Parsers for the `run`/`create` flags that need more than a string, as pure functions with
// the docker CLI's error wording, so `slipway run` builds the same API request body docker does.
// Each returns the Engine API representation of the flag.
import { InvalidArgumentError } from '../../errors';
import type { PortBinding, Ulimit } from './types';
import { ULIMIT_NAMES } from './defaults';
import { parseBind } from './mounts';

/** cobra/pflag's wrapper: invalid argument "512x" for "-m, --memory" flag: <reason>. */
export function flagError(flag: string, value: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: ${reason}`);
}

const BINARY_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Go's strconv.ParseFloat on a decimal: its error text when the number is malformed. */
function parseGoFloat(text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

/**
 * go-units RAMInBytes: "512m", "1.5g", "1024", "2GiB", "10 kb" (units are always binary), with
 * its errors: no digit at all is "invalid size: 'abc'", an unknown unit "invalid suffix: 'q'".
 * The number is what precedes the last digit, dot or space; the rest is the suffix.
 */
export function parseBytes(value: string): number {
  const sep = Math.max(...[...'0123456789. '].map((c) => value.lastIndexOf(c)));
  if (sep < 0) throw new Error(`invalid size: '${value}'`);
  const num = value[sep] === ' ' ? value.slice(0, sep) : value.slice(0, sep + 1);
  const size = parseGoFloat(num);
  if (size < 0) throw new Error(`invalid size: '${value}'`);
  const suffix = value.slice(sep + 1);
  if (suffix === '') return Math.trunc(size);
  const badSuffix = (s: string) => new Error(`invalid suffix: '${s}'`);
  if (suffix.length > 3) throw badSuffix(suffix);
  const sfx = suffix.toLowerCase();
  if (sfx === 'b') return Math.trunc(size);
  const mul = BINARY_UNITS[sfx[0]];
  // After the unit only "b" or "ib" may follow (KB, KiB).
  if (mul === undefined || (sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) throw badSuffix(sfx);
  return Math.trunc(size * mul);
}

/** --memory / --memory-swap / --memory-reservation / --shm-size. "-1" is allowed for --memory-swap (unlimited). */
export function parseMemoryFlag(flag: string, value: string, allowUnlimited = false): number {
  if (allowUnlimited && value.trim() === '-1') return -1;
  try {
    return parseBytes(value);
  } catch (err) {
    throw flagError(flag, value, (err as Error).message);
  }
}

/** --cpus 1.5 → NanoCpus, as docker's NanoCPUs.Set (a decimal with at most 9 places). */
export function parseCpus(value: string): number {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw flagError('--cpus', value, `failed to parse ${value} as a rational number`);
  const frac = (m[2] ?? '').padEnd(9, '0');
  if (frac.length > 9 && /[1-9]/.test(frac.slice(9))) throw flagError('--cpus', value, 'value is too precise');
  return Number(m[1] || '0') * 1e9 + Number(frac.slice(0, 9));
}

/** One published port: the ExposedPorts/PortBindings key and its binding. */
export interface PublishedPort { port: string; binding: PortBinding }

function parsePortRange(text: string, what: 'containerPort' | 'hostPort', spec: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] ? Number(m[2]) : start;
  if (!m || start < (what === 'hostPort' ? 0 : 1) || end > 65535 || end < start) throw new InvalidArgumentError(`invalid ${what}: ${text || spec}`);
  return [start, end];
}

/**
 * -p [ip:][hostPort:]containerPort[/proto], with ranges (8000-8001:80-81), as go-connections'
 * nat.ParsePortSpec. An empty hostPort asks the service for a free port.
 */
export function parsePublish(spec: string): PublishedPort[] {
  let rest = spec;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new InvalidArgumentError(`invalid proto: ${proto}`);
  }
  let ip = '';
  // An IPv6 address is written in brackets: [::1]:80:80.
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(rest);
  if (v6) {
    ip = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (parts.length > 3) throw new InvalidArgumentError(`invalid port specification: "${spec}"`);
  const containerText = parts[parts.length - 1];
  const hostText = parts.length >= 2 ? parts[parts.length - 2] : '';
  if (parts.length === 3) {
    if (v6) throw new InvalidArgumentError(`invalid port specification: "${spec}"`);
    ip = parts[0];
  }
  if (ip && !/^(\d{1,3}\.){3}\d{1,3}$/.test(ip) && !v6) throw new InvalidArgumentError(`invalid IP address: ${ip}`);
  if (containerText === '') throw new InvalidArgumentError(`no port specified: ${spec}<empty>`);
  const [cStart, cEnd] = parsePortRange(containerText, 'containerPort', spec);
  const [hStart, hEnd] = hostText ? parsePortRange(hostText, 'hostPort', spec) : [0, 0];
  const count = cEnd - cStart + 1;
  if (hostText && hEnd - hStart + 1 !== count && !(hEnd > hStart && count === 1)) {
    throw new InvalidArgumentError(`invalid ranges specified for container and host Ports: ${containerText} and ${hostText}`);
  }
  const out: PublishedPort[] = [];
  for (let i = 0; i < count; i++) {
    // A host range with a single container port lets the service pick one in the range.
    const hostPort = !hostText ? '' : count === 1 && hEnd > hStart ? `${hStart}-${hEnd}` : String(hStart + i);
    out.push({ port: `${cStart + i}/${proto}`, binding: { HostIp: ip, HostPort: hostPort } });
  }
  return out;
}

/**
 * -e: "K=V" as given; a bare "K" takes the CLI's own environment value, or is sent as "K"
 * (which unsets an image default) when the CLI has none — docker's opts.ValidateEnv.
 */
export function parseEnvFlag(value: string, lookup: (name: string) => string | undefined): string {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  if (name === '') throw new InvalidArgumentError(`invalid environment variable: ${value}`);
  if (eq >= 0) return value;
  const found = lookup(name);
  return found === undefined ? name : `${name}=${found}`;
}

/** --env-file contents, as docker's opts.ParseEnvFile: comments and blank lines skipped. */
export function parseEnvFile(text: string, file: string, lookup: (name: string) => string | undefined): string[] {
  const out: string[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (name === '') throw new InvalidArgumentError(`no variable name on line '${line}' (${file}:${i + 1})`);
    if (/\s/.test(name)) throw new InvalidArgumentError(`variable '${name}' contains whitespaces (${file}:${i + 1})`);
    if (eq >= 0) out.push(line);
    else {
      const found = lookup(name);
      out.push(found === undefined ? name : `${name}=${found}`);
    }
  });
  return out;
}

/** --ulimit nofile=1024[:2048] (docker's units.ParseUlimit). */
export function parseUlimit(value: string): Ulimit {
  const [name, limits, ...extra] = value.split('=');
  if (limits === undefined || extra.length > 0) throw new InvalidArgumentError(`invalid ulimit argument: ${value}`);
  if (!(name in ULIMIT_NAMES)) throw new InvalidArgumentError(`invalid ulimit type: ${name}`);
  const nums = limits.split(':');
  if (nums.length > 2 || nums.some((n) => !/^-?\d+$/.test(n))) throw new InvalidArgumentError(`invalid ulimit argument: ${value}`);
  const soft = Number(nums[0]);
  const hard = nums.length === 2 ? Number(nums[1]) : soft;
  if (soft > hard) throw new InvalidArgumentError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: name, Soft: soft, Hard: hard };
}

/**
 * -v as the docker CLI sends it: `/data` alone is an anonymous volume (Config.Volumes);
 * everything else goes into HostConfig.Binds, validated here so a typo fails before the request.
 */
export function parseVolumeFlag(value: string): { bind: string } | { anonymous: string } {
  if (!value.includes(':')) {
    if (!value.startsWith('/')) throw new InvalidArgumentError(`invalid volume specification: '${value}'`);
    return { anonymous: value };
  }
  parseBind(value);
  return { bind: value };
}

/** --restart no|always|unless-stopped|on-failure[:max] → HostConfig.RestartPolicy. */
export function parseRestartFlag(value: string): { Name: string; MaximumRetryCount: number } {
  const [name, max, ...rest] = value.split(':');
  if (rest.length > 0 || (max !== undefined && !/^\d+$/.test(max))) throw new InvalidArgumentError(`invalid restart policy format: ${value}`);
  if (max !== undefined && name !== 'on-failure') throw new InvalidArgumentError(`invalid restart policy format: maximum retry count can only be used with 'on-failure'`);
  return { Name: name, MaximumRetryCount: max === undefined ? 0 : Number(max) };
}
