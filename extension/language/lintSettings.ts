// What the editor passes to the lint engine for one Dockerfile: the `.hadolint.yaml` that
// applies (the `slipway.lint.configFile` setting, else the nearest one up the tree), the
// per-rule severities from `slipway.lint.severities` (which win over the file), and the
// `.dockerignore` beside the Dockerfile (for CopyIgnoredFile). Pure apart from the injected
// file-system reads, so it is unit-tested against a temp directory.
import path from 'node:path';
import { InvalidArgumentError } from '../../runtime/errors';
import { mergeConfigs, parseHadolintConfig, type LintConfig, type LintOptions, type SeveritySetting } from '../../runtime/lint';

export const CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml'];
const LEVELS = new Set(['error', 'warning', 'info', 'hint', 'off']);

export interface Fs { readFile(p: string): string | undefined }

/** The nearest `.hadolint.yaml`/`.yml` in `dir` or a parent, stopping after `stopAt` if given. */
export function findConfigFile(dir: string, fs: Fs, stopAt?: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(current, name);
      if (fs.readFile(candidate) !== undefined) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current || (stopAt && current === path.resolve(stopAt))) return undefined;
    current = parent;
  }
}

/** Validates the `slipway.lint.severities` setting; bad entries are named in the error. */
export function severitiesFromSetting(value: unknown): Record<string, SeveritySetting> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError('setting slipway.lint.severities must be an object of rule code → severity');
  const out: Record<string, SeveritySetting> = {};
  for (const [code, sev] of Object.entries(value)) {
    if (typeof sev !== 'string' || !LEVELS.has(sev)) {
      throw new InvalidArgumentError(`setting slipway.lint.severities.${code}: "${String(sev)}" is not one of error, warning, info, hint, off`);
    }
    out[code] = sev as SeveritySetting;
  }
  return out;
}

export interface LintInputs {
  /** Absolute path of the Dockerfile (undefined for an untitled document). */
  file?: string;
  /** `slipway.lint.configFile`, resolved against `workspaceDir` when relative. */
  configFile?: string;
  workspaceDir?: string;
  severities?: unknown;
}

export interface ResolvedLint { options: LintOptions; configPath?: string }

export function lintOptionsFor(inputs: LintInputs, fs: Fs): ResolvedLint {
  const dir = inputs.file ? path.dirname(inputs.file) : inputs.workspaceDir;
  let configPath: string | undefined;
  if (inputs.configFile) {
    configPath = path.resolve(inputs.workspaceDir ?? dir ?? '.', inputs.configFile);
    if (fs.readFile(configPath) === undefined) throw new InvalidArgumentError(`lint config file ${configPath} (setting slipway.lint.configFile) cannot be read`);
  } else if (dir) {
    configPath = findConfigFile(dir, fs);
  }
  const fileConfig: LintConfig | undefined = configPath ? parseHadolintConfig(fs.readFile(configPath) ?? '', configPath) : undefined;
  const config = mergeConfigs(fileConfig, { severities: severitiesFromSetting(inputs.severities) });
  // BuildKit reads `<Dockerfile>.dockerignore` first, then the context's `.dockerignore`; the
  // editor takes the Dockerfile's folder as the context.
  const dockerignore = inputs.file
    ? fs.readFile(`${inputs.file}.dockerignore`) ?? fs.readFile(path.join(path.dirname(inputs.file), '.dockerignore'))
    : undefined;
  return {
    options: { file: inputs.file ? path.basename(inputs.file) : 'Dockerfile', config, ...(dockerignore !== undefined ? { dockerignore } : {}) },
    configPath,
  };
}
