// The Dockerfile lint engine: one entry point, `lint(source, options)`, shared by the editor,
// the CLI and the builder. Rules come from the one registry table (./registry.ts); this file only
// applies what is common to all of them: severities and `off`, experimental rules, suppressions,
// the "ignore this rule here" fix, one finding per problem when a hadolint rule duplicates a
// BuildKit check, and a stable order.
import { describe } from '../errors';
import { LintContext } from './context';
import { RULES, ruleByCode } from './registry';
import type { Rule } from './rule';
import { experimentalEnabled, ignoreFix, instrAtLine, isSuppressed, mayEnableExperimental, readSuppressions } from './suppress';
import type { Finding, LintConfig, LintOptions, Severity, SeveritySetting } from './types';

export type { Finding, Fix, LintConfig, LintOptions, Severity, SeveritySetting, TextEdit } from './types';
export type { Rule, RuleExample, RuleFamily } from './rule';
export { RULES, ruleByCode } from './registry';
export { LintContext } from './context';
export { loadHadolintConfig, parseHadolintConfig, mergeConfigs } from './config';
export { formatJson, formatSarif, formatText, toSarif, type FileFindings } from './format';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The severity a rule runs at under a config, before `# check=error=true`; 'off' if it does not run. */
export function configuredSeverity(rule: Rule, config: LintConfig = {}): SeveritySetting {
  if (config.ignored?.includes(rule.code)) return 'off';
  return config.severities?.[rule.code] ?? rule.severity;
}

/**
 * Lints a Dockerfile's text, or a context already built from it (`new LintContext(text)`), so
 * that a caller which needs the parse for something else — the editor's language features —
 * parses each text once. With a context, `options` (when given) replace the context's own;
 * the parse, and its file name, are the context's.
 */
export function lint(source: string | LintContext, options?: LintOptions): Finding[] {
  const ctx = typeof source === 'string' ? new LintContext(source, options)
    : options === undefined || options === source.options ? source : new LintContext(source, options);
  const sup = readSuppressions(ctx);
  const families = ctx.options.families ?? ['buildkit', 'hadolint'];
  const out: Finding[] = [];
  for (const rule of RULES) {
    if (!families.includes(rule.family)) continue;
    const configured = configuredSeverity(rule, ctx.config);
    const explicit = ctx.config.severities?.[rule.code] !== undefined;
    // An experimental rule needs `# check=experimental=` unless a setting turned it on.
    if (configured === 'off' && !(rule.experimental && !ctx.config.ignored?.includes(rule.code))) continue;
    // …and when the file enables it nowhere, every finding would be dropped: skip the work.
    if (rule.experimental && !explicit && !mayEnableExperimental(sup, rule)) continue;
    const report = (hit: { range: Finding['range']; message: string; fixes?: Finding['fixes'] }): void => {
      const instr = instrAtLine(ctx, hit.range.start.line);
      if (rule.experimental && !explicit && !experimentalEnabled(sup, rule, instr)) return;
      if (isSuppressed(sup, ctx, rule, instr)) return;
      // Skipping a BuildKit check also skips the hadolint rule that reports the same problem.
      const twin = rule.sameAs ? ruleByCode(rule.sameAs) : undefined;
      if (twin && isSuppressed(sup, ctx, twin, instr)) return;
      let severity: SeveritySetting = configured === 'off' ? 'warning' : configured;
      const local = instr ? sup.instrCheck.get(instr.range.start.line) : undefined;
      if (rule.family === 'buildkit' && !explicit && (sup.check.error || local?.error)) severity = 'error';
      out.push({
        code: rule.code, message: hit.message, severity: severity as Severity, range: hit.range, url: rule.url,
        fixes: [...(hit.fixes ?? []), ignoreFix(ctx, rule, instr, hit.range.start.line)],
      });
    };
    try {
      rule.check(ctx, report);
    } catch (err) {
      // One broken rule must not take every other diagnostic down with it; the finding says so.
      out.push({
        code: rule.code, message: `lint rule ${rule.code} failed: ${describe(err)}`, severity: 'error',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, url: rule.url, fixes: [],
      });
    }
  }
  return order(dedupe(out, (line) => instrAtLine(ctx, line)?.stage ?? -1));
}

/**
 * Drops a hadolint finding when the BuildKit rule it duplicates fired on the same line, and
 * repeats of one finding (three `yum install` in one RUN are one missing `yum clean all`).
 */
function dedupe(findings: Finding[], stageAt: (line: number) => number): Finding[] {
  const seen = new Set(findings.flatMap((f) => [`${f.code}@${f.range.start.line}`, `${f.code}#${stageAt(f.range.start.line)}`]));
  const exact = new Set<string>();
  return findings.filter((f) => {
    const rule = ruleByCode(f.code);
    const same = rule?.sameAs;
    const key = rule?.sameAsScope === 'stage' ? `${same}#${stageAt(f.range.start.line)}` : `${same}@${f.range.start.line}`;
    if (same && seen.has(key)) return false;
    const id = `${f.code}@${f.range.start.line}:${f.range.start.character}:${f.message}`;
    if (exact.has(id)) return false;
    exact.add(id);
    return true;
  });
}

function order(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character
    || RANK[a.severity] - RANK[b.severity]
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** True when a finding is at or above a threshold (`error` > `warning` > `info` > `hint`). */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}
