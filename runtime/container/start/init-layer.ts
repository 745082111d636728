// The init layer: a per-container overlay lower dir above the image's layers holding the files
// the runtime writes for the container (/etc/hostname, /etc/hosts, /etc/resolv.conf) and the
// mount points it needs, so that none of them shows up in the container's diff or a commit —
// Docker's "<id>-init" layer. Pure content generation apart from the one writer function.
import fs from 'node:fs';
import path from 'node:path';

export interface InitLayerOptions {
  hostname: string;
  domainname?: string;
  /** --add-host entries: "name:ip". */
  extraHosts?: string[];
  /** --dns servers; by default the host's resolv.conf without loopback servers. */
  dns?: string[];
  dnsSearch?: string[];
  /** The host's /etc/resolv.conf text, for the default. */
  hostResolvConf?: string;
}

/** Mount points of Docker's default mounts, present in the init layer so they are not a diff. */
export const INIT_LAYER_DIRS = ['proc', 'sys', 'dev', 'dev/pts', 'dev/shm', 'etc'];

export function hostsFile(o: InitLayerOptions): string {
  const name = o.domainname ? `${o.hostname}.${o.domainname} ${o.hostname}` : o.hostname;
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of o.extraHosts ?? []) {
    const i = entry.indexOf(':');
    if (i <= 0) throw new Error(`invalid --add-host "${entry}": expected name:ip`);
    lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  // Without a bridge the container has no address of its own: the name resolves to loopback.
  lines.push(`127.0.1.1\t${name}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Docker's resolv.conf rule: the host's, minus nameservers on loopback (unreachable from the
 * container's network namespace), with Google's public servers when none remain.
 */
export function resolvConf(o: InitLayerOptions): string {
  const host = o.hostResolvConf ?? '';
  const servers = o.dns ?? host.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w[0] === 'nameserver' && w[1]).map((w) => w[1])
    .filter((ip) => !ip.startsWith('127.') && ip !== '::1');
  const search = o.dnsSearch ?? host.split('\n').filter((l) => /^(search|domain)\s/.test(l.trim())).flatMap((l) => l.trim().split(/\s+/).slice(1));
  const options = host.split('\n').filter((l) => l.trim().startsWith('options ')).map((l) => l.trim());
  const lines = [
    ...(search.length ? [`search ${search.join(' ')}`] : []),
    ...(servers.length ? servers : ['8.8.8.8', '8.8.4.4']).map((s) => `nameserver ${s}`),
    ...options,
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the init layer into `dir` (created). */
export function writeInitLayer(dir: string, o: InitLayerOptions): void {
  for (const d of INIT_LAYER_DIRS) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const hostResolvConf = o.hostResolvConf ?? (fs.existsSync('/etc/resolv.conf') ? fs.readFileSync('/etc/resolv.conf', 'utf8') : '');
  fs.writeFileSync(path.join(dir, 'etc/hostname'), `${o.hostname}\n`);
  fs.writeFileSync(path.join(dir, 'etc/hosts'), hostsFile(o));
  fs.writeFileSync(path.join(dir, 'etc/resolv.conf'), resolvConf({ ...o, hostResolvConf }));
}
