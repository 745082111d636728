// The lint engine's public shapes, shared by the CLI (`slipway lint`), the builder and the
// editor (diagnostics and quick fixes). Positions are 0-based, as in the editor.
import type { Range } from '../errors';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** A setting may also turn a rule off. */
export type SeveritySetting = Severity | 'off';

export interface TextEdit { range: Range; newText: string }

/** A quick fix: a title for the light bulb and the edits that apply it. */
export interface Fix { title: string; edits: TextEdit[] }

export interface Finding {
  /** Stable code: BuildKit's rule name (`JSONArgsRecommended`) or hadolint's (`DL3008`). */
  code: string;
  message: string;
  severity: Severity;
  range: Range;
  /** Documentation of the rule. */
  url: string;
  fixes: Fix[];
}

export interface LintConfig {
  /** Per-rule severity overrides (settings, `.hadolint.yaml` `override:`, `# check=error=true`). */
  severities?: Record<string, SeveritySetting>;
  /** Rules ignored everywhere (`.hadolint.yaml` `ignored:`). */
  ignored?: string[];
  /** Registries FROM may use (`.hadolint.yaml` `trustedRegistries:`), empty = any. */
  trustedRegistries?: string[];
  /** Label name → type (`text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`): DL3049–DL3058. */
  labelSchema?: Record<string, string>;
  /** Labels outside `labelSchema` are findings (DL3050). */
  strictLabels?: boolean;
  /** Ignore `# hadolint ignore=` pragmas (hadolint's `--disable-ignore-pragma`). */
  disableIgnorePragma?: boolean;
  /** Lowest severity that makes the CLI fail (`.hadolint.yaml` `failure-threshold`). */
  failureThreshold?: Severity | 'none';
}

export interface LintOptions {
  /** Name shown in messages and SARIF output; defaults to "Dockerfile". */
  file?: string;
  config?: LintConfig;
  /** Content of the `.dockerignore` that applies to this Dockerfile (CopyIgnoredFile). */
  dockerignore?: string;
  /**
   * Environment of a base image (`FROM python` defines `PYTHON_VERSION`), for UndefinedVar.
   * Unknown images (undefined) are assumed to define only `PATH`, as BuildKit's default.
   */
  baseImageEnv?: (image: string) => Record<string, string> | undefined;
  /** Rule families to run; both by default. */
  families?: ('buildkit' | 'hadolint')[];
}
