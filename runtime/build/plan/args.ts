// Build arguments: the global scope (ARG before the first FROM), each stage's own scope, the
// predefined proxy args, and the automatic platform args — BuildKit's rules.
import { InvalidArgumentError } from '../../errors.js';

/** Usable with --build-arg without an ARG line, and left out of image history (Docker). */
export const PROXY_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy',
  'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

export interface Platform { os: string; architecture: string; variant?: string }

const NODE_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function hostPlatform(): Platform {
  const architecture = NODE_ARCH[process.arch] ?? process.arch;
  return { os: 'linux', architecture, ...(architecture === 'arm64' ? { variant: 'v8' } : {}) };
}

/** "linux/arm64/v8" → Platform; errors name the string. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => p === '')) throw new InvalidArgumentError(`invalid platform: "${text}"`);
  const [os, architecture = hostPlatform().architecture, variant] = parts as [string, string?, string?];
  const arch = architecture === 'x86_64' || architecture === 'x86-64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture;
  return { os, architecture: arch, ...(variant ? { variant } : {}) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * BUILDPLATFORM/TARGETPLATFORM and their parts. They are defined in the global scope without an
 * ARG line; inside a stage they must be declared with `ARG NAME` (BuildKit).
 */
export function platformArgs(build: Platform, target: Platform): Map<string, string> {
  return new Map([
    ['BUILDPLATFORM', formatPlatform(build)], ['BUILDOS', build.os], ['BUILDARCH', build.architecture], ['BUILDVARIANT', build.variant ?? ''],
    ['TARGETPLATFORM', formatPlatform(target)], ['TARGETOS', target.os], ['TARGETARCH', target.architecture], ['TARGETVARIANT', target.variant ?? ''],
  ]);
}

/**
 * One scope of declared ARGs, in declaration order. `undefined` value = declared without a
 * value (it expands to "" but is not set in RUN's environment).
 */
export class ArgScope {
  private readonly values = new Map<string, string | undefined>();
  declare(key: string, value: string | undefined): void {
    this.values.delete(key); // re-declaring moves it to the end, as BuildKit's list does
    this.values.set(key, value);
  }
  has(key: string): boolean { return this.values.has(key); }
  get(key: string): string | undefined { return this.values.get(key); }
  /** Declared args that have a value, in order. */
  entries(): Array<[string, string]> {
    return [...this.values].filter((e): e is [string, string] => e[1] !== undefined);
  }
  keys(): string[] { return [...this.values.keys()]; }
}
