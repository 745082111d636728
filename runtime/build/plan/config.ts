// The image configuration a build evolves step by step, with Docker's JSON field names (the
// `config` object of the OCI image config, plus Docker's extensions Healthcheck/OnBuild/Shell),
// and the pure rules Docker applies to it: EXPOSE normalisation, WORKDIR chaining, CMD and
// ENTRYPOINT wrapping, HEALTHCHECK durations.
import path from 'node:path';
import { envListToMap } from '../../common/env.js';
import { goDuration } from '../../common/go-duration.js';
import type { HealthConfig } from '../../image/types.js';


export interface ImageConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: HealthConfig;
  OnBuild?: string[] | null;
  Shell?: string[];
}

/** What a base image contributes to a stage (the executor loads it before planning). */
export interface BaseImage {
  config: ImageConfig;
  author?: string;
  os?: string;
  architecture?: string;
  variant?: string;
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** A deep copy, so that each step's recorded config is its own. */
export function cloneConfig(c: ImageConfig): ImageConfig {
  return structuredClone(c);
}

/** The config's Env as name → value. */
export function envMap(c: ImageConfig): Map<string, string> {
  return envListToMap(c.Env ?? []);
}

/** Set or replace one variable, keeping Docker's order (replaced in place, new at the end). */
export function setEnv(c: ImageConfig, key: string, value: string): void {
  const env = c.Env ?? [];
  const i = env.findIndex((kv) => kv === key || kv.startsWith(key + '='));
  if (i >= 0) env[i] = `${key}=${value}`; else env.push(`${key}=${value}`);
  c.Env = env;
}

/**
 * EXPOSE words → `port/proto` keys as Docker's nat.ParsePortSpecs does: the protocol is
 * lower-cased and defaults to tcp, ranges are expanded, and an `ip:hostPort:` prefix keeps only
 * the container port (BuildKit warns with ExposeInvalidFormat but accepts it).
 * Returns an error message naming the bad word instead of throwing.
 */
export function normalisePorts(words: readonly string[]): string[] | string {
  const out: string[] = [];
  for (const word of words) {
    const spec = word.includes(':') ? word.slice(word.lastIndexOf(':') + 1) : word;
    const slash = spec.indexOf('/');
    const ports = slash < 0 ? spec : spec.slice(0, slash);
    const proto = slash < 0 ? 'tcp' : spec.slice(slash + 1).toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(proto)) return `invalid proto: ${proto}`;
    const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
    if (!m) return `invalid containerPort: ${ports}`;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || hi < lo) return `invalid range specified for container port: ${ports}`;
    for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
  }
  return out;
}

/** WORKDIR: relative paths chain onto the previous one; the result is clean and absolute. */
export function resolveWorkdir(current: string | undefined, next: string): string {
  return path.posix.resolve(current || '/', next);
}

/** CMD/ENTRYPOINT/HEALTHCHECK shell form runs through SHELL (default /bin/sh -c). */
export function wrapShell(config: ImageConfig, script: string): string[] {
  return [...(config.Shell ?? DEFAULT_SHELL), script];
}

/** Docker's signal check for STOPSIGNAL: a name (with or without SIG) or a number. */
export function validSignal(sig: string): boolean {
  if (/^\d+$/.test(sig)) return Number(sig) > 0 && Number(sig) < 65;
  return /^(SIG)?(RTMIN(\+\d+)?|RTMAX(-\d+)?|[A-Z][A-Z0-9]*)$/i.test(sig);
}

/** Go's %v of a []string, as BuildKit writes VOLUME/SHELL history: `[/a /b]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** BuildKit's history text for HEALTHCHECK: Go's `%+v` of the HealthcheckConfig struct. */
export function healthcheckHistory(h: HealthConfig): string {
  const d = (v: number | undefined): string => goDuration(v ?? 0);
  return `HEALTHCHECK {Test:${goList(h.Test ?? [])} Interval:${d(h.Interval)} Timeout:${d(h.Timeout)} StartPeriod:${d(h.StartPeriod)} StartInterval:${d(h.StartInterval)} Retries:${h.Retries ?? 0}}`;
}
