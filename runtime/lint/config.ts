// `.hadolint.yaml` → LintConfig. The keys are hadolint's (README, "Configure"): `ignored`,
// `trustedRegistries`, `override: {error, warning, info, style}`, `label-schema`,
// `strict-labels`, `disable-ignore-pragma`, `failure-threshold`. hadolint's `style` severity
// is the editor's `hint`; its `ignore` is `off`. Unknown keys are accepted (hadolint has more,
// for its own CLI); wrong types are errors naming the key.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { InvalidArgumentError } from '../errors';
import type { LintConfig, Severity, SeveritySetting } from './types';

const LEVELS: Record<string, SeveritySetting> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', ignore: 'off', none: 'off' };

export function parseHadolintConfig(text: string, source = '.hadolint.yaml'): LintConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`${source}: invalid YAML`, { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidArgumentError(`${source}: expected a mapping at the top level`);
  const d = doc as Record<string, unknown>;
  const config: LintConfig = {};
  const list = (key: string): string[] | undefined => {
    const v = d[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InvalidArgumentError(`${source}: "${key}" must be a list of strings`);
    return v as string[];
  };
  const ignored = list('ignored');
  if (ignored) config.ignored = ignored;
  const trusted = list('trustedRegistries') ?? list('trusted-registries');
  if (trusted) config.trustedRegistries = trusted;
  const override = d.override;
  if (override !== undefined && override !== null) {
    if (typeof override !== 'object' || Array.isArray(override)) throw new InvalidArgumentError(`${source}: "override" must be a mapping of severity to rule codes`);
    config.severities = {};
    for (const [level, codes] of Object.entries(override as Record<string, unknown>)) {
      const sev = LEVELS[level];
      if (!sev) throw new InvalidArgumentError(`${source}: unknown severity "${level}" in "override" (expected error, warning, info, style or ignore)`);
      if (!Array.isArray(codes) || !codes.every((x) => typeof x === 'string')) throw new InvalidArgumentError(`${source}: "override.${level}" must be a list of rule codes`);
      for (const code of codes as string[]) config.severities[code] = sev;
    }
  }
  const schema = d['label-schema'];
  if (schema !== undefined && schema !== null) {
    if (typeof schema !== 'object' || Array.isArray(schema) || !Object.values(schema).every((x) => typeof x === 'string')) {
      throw new InvalidArgumentError(`${source}: "label-schema" must map label names to types`);
    }
    config.labelSchema = schema as Record<string, string>;
  }
  const bool = (key: string): boolean | undefined => {
    const v = d[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw new InvalidArgumentError(`${source}: "${key}" must be true or false`);
    return v;
  };
  const strict = bool('strict-labels');
  if (strict !== undefined) config.strictLabels = strict;
  const noPragma = bool('disable-ignore-pragma');
  if (noPragma !== undefined) config.disableIgnorePragma = noPragma;
  const threshold = d['failure-threshold'];
  if (threshold !== undefined && threshold !== null) {
    const sev = typeof threshold === 'string' ? LEVELS[threshold] : undefined;
    if (!sev) throw new InvalidArgumentError(`${source}: "failure-threshold" must be error, warning, info, style or none`);
    config.failureThreshold = sev === 'off' ? 'none' : (sev as Severity);
  }
  return config;
}

export async function loadHadolintConfig(path: string): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read lint config ${path}`, { cause: err });
  }
  return parseHadolintConfig(text, path);
}

/** Later configs win key by key; severities are merged rule by rule. */
export function mergeConfigs(...configs: (LintConfig | undefined)[]): LintConfig {
  const out: LintConfig = {};
  for (const c of configs) {
    if (!c) continue;
    const { severities, ignored, ...rest } = c;
    Object.assign(out, rest);
    if (severities) out.severities = { ...out.severities, ...severities };
    if (ignored) out.ignored = [...new Set([...(out.ignored ?? []), ...ignored])];
  }
  return out;
}
