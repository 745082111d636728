// The shape of one lint rule. Rules are data (STYLE.md §8): a stable code, a name, a
// description, a docs URL, a default severity, a message formatter, examples kept as data (the
// docs page and the tests both read them), and a `check` that reports hits on a LintContext.
import type { Range } from '../errors';
import type { LintContext } from './context';
import type { Fix, LintConfig, SeveritySetting } from './types';

/** BuildKit build checks (`docker build --check`) or hadolint's DL rules. */
export type RuleFamily = 'buildkit' | 'hadolint';

export interface RuleHit {
  range: Range;
  message: string;
  /** Mechanical fixes; the engine adds "ignore this rule here" to every finding. */
  fixes?: Fix[];
}

export interface RuleExample {
  source: string;
  /** Extra input the example needs: a `.dockerignore`, a config. */
  dockerignore?: string;
  config?: LintConfig;
  note?: string;
}

export interface Rule {
  code: string;
  /** Short kebab-case name, e.g. `apt-get-pin-versions` (BuildKit rules use their code). */
  name: string;
  family: RuleFamily;
  description: string;
  url: string;
  /** Default severity; `off` for rules that must be turned on (experimental, hadolint `ignore`). */
  severity: SeveritySetting;
  /** BuildKit experimental rules run only when enabled by `# check=experimental=`. */
  experimental?: boolean;
  /**
   * The BuildKit rule reporting the same problem. When both fire on the same line, only the
   * BuildKit finding is kept, so a user does not see every problem twice.
   */
  sameAs?: string;
  /** Where the twin's finding counts as the same one: the same line (default) or the same stage. */
  sameAsScope?: 'line' | 'stage';
  /** The message formatter; rules call it with their own typed arguments. */
  format: (...args: never[]) => string;
  examples: { bad: RuleExample[]; good: RuleExample[] };
  check(ctx: LintContext, report: (hit: RuleHit) => void): void;
}

/** Identity helper that keeps the formatter's argument types inside the rule module. */
export function defineRule<F extends (...args: never[]) => string>(
  rule: Omit<Rule, 'format' | 'check'> & { format: F; check(ctx: LintContext, report: (hit: RuleHit) => void): void },
): Rule {
  return rule;
}

export const hadolintUrl = (code: string): string => `https://github.com/hadolint/hadolint/wiki/${code}`;
export const buildkitUrl = (kebab: string): string => `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
