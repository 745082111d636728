// `--change` for `import` and `commit`: Dockerfile instructions applied to an image config.
// Docker accepts CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME and
// WORKDIR here (docker/docs: "docker container commit", "docker image import"). Pure.
import path from 'node:path';
import { InvalidArgumentError } from '../errors';
import type { ContainerConfig } from './types';

export const CHANGE_COMMANDS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'] as const;

/** Exec form `["a","b"]` when the text is a JSON array of strings, else undefined. */
function jsonArray(text: string): string[] | undefined {
  if (!text.trim().startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits on unquoted whitespace, removing quotes and backslash escapes the way the Dockerfile
 * parser does for ENV/LABEL words: "a b" and 'a b' group, \x escapes x outside single quotes.
 */
export function splitWords(text: string, what: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else cur += c;
  }
  if (quote) throw new InvalidArgumentError(`${what}: unterminated ${quote} quote`);
  if (inWord) words.push(cur);
  return words;
}

/** KEY=VALUE pairs, or the legacy "KEY VALUE WITH SPACES" form. */
function keyValues(rest: string, what: string): [string, string][] {
  const first = rest.trim().split(/\s+/, 1)[0] ?? '';
  if (!first.includes('=')) {
    const value = rest.trim().slice(first.length).trim();
    if (!first || !value) throw new InvalidArgumentError(`${what} needs KEY=VALUE or KEY VALUE`);
    return [[first, value]];
  }
  return splitWords(rest, what).map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${what}: "${w}" is not KEY=VALUE`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function ports(rest: string, what: string): string[] {
  const out: string[] = [];
  for (const w of splitWords(rest, what)) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    if (!m) throw new InvalidArgumentError(`${what}: invalid port "${w}"`);
    const lo = Number(m[1]), hi = Number(m[2] ?? m[1]);
    if (lo < 1 || hi > 65535 || hi < lo) throw new InvalidArgumentError(`${what}: invalid port range "${w}"`);
    for (let p = lo; p <= hi; p++) out.push(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

/** Applies `--change` lines to a copy of `config`. Errors name the change at fault. */
export function applyChanges(config: ContainerConfig, changes: string[]): ContainerConfig {
  const out: ContainerConfig = structuredClone(config);
  for (const change of changes) {
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(change);
    if (!m) throw new InvalidArgumentError(`invalid change "${change}"`);
    const cmd = m[1].toUpperCase();
    const rest = (m[2] ?? '').trim();
    const what = `change "${change}"`;
    if (!(CHANGE_COMMANDS as readonly string[]).includes(cmd)) {
      throw new InvalidArgumentError(`${what}: ${m[1]} is not a valid change command (expected one of ${CHANGE_COMMANDS.join(', ')})`);
    }
    if (!rest) throw new InvalidArgumentError(`${what}: ${cmd} needs an argument`);
    switch (cmd) {
      case 'CMD':
      case 'ENTRYPOINT': {
        const argv = jsonArray(rest) ?? ['/bin/sh', '-c', rest];
        if (cmd === 'CMD') out.Cmd = argv;
        else {
          out.Entrypoint = argv;
          // As in a Dockerfile: a new ENTRYPOINT resets an inherited CMD.
          if (config.Cmd !== undefined && !changes.some((c) => /^\s*CMD\b/i.test(c))) out.Cmd = null;
        }
        break;
      }
      case 'ENV': {
        const env = [...(out.Env ?? [])];
        for (const [k, v] of keyValues(rest, what)) {
          const i = env.findIndex((e) => e.split('=', 1)[0] === k);
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        out.Env = env;
        break;
      }
      case 'LABEL':
        out.Labels = { ...(out.Labels ?? {}), ...Object.fromEntries(keyValues(rest, what)) };
        break;
      case 'EXPOSE':
        out.ExposedPorts = { ...(out.ExposedPorts ?? {}), ...Object.fromEntries(ports(rest, what).map((p) => [p, {}])) };
        break;
      case 'VOLUME': {
        const vols = jsonArray(rest) ?? splitWords(rest, what);
        if (vols.some((v) => v === '')) throw new InvalidArgumentError(`${what}: empty volume path`);
        out.Volumes = { ...(out.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) };
        break;
      }
      case 'WORKDIR':
        out.WorkingDir = path.posix.resolve(out.WorkingDir || '/', rest);
        break;
      case 'USER':
        out.User = rest;
        break;
      case 'STOPSIGNAL':
        out.StopSignal = rest;
        break;
      case 'ONBUILD':
        if (/^(ONBUILD|FROM|MAINTAINER)\b/i.test(rest)) throw new InvalidArgumentError(`${what}: ONBUILD cannot trigger ${rest.split(/\s/)[0]}`);
        out.OnBuild = [...(out.OnBuild ?? []), rest];
        break;
    }
  }
  return out;
}
