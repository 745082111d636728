import { buildkitUrl, defineRule } from '../rule';
import type { Instr, LintContext, Stage } from '../context';
import { suggest, varRange, varRefs } from './helpers';

// Instructions whose words BuildKit expands before running them; RUN, CMD, ENTRYPOINT and
// HEALTHCHECK leave variables to the shell and are not checked.
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
// Build arguments that never become environment variables.
const NON_ENV = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

interface Scope { env: Set<string>; declared: Set<string> }

/** The environment a stage starts with: its parent stage's final one, or its base image's. */
function stageScope(ctx: LintContext, stage: Stage, memo: Map<number, Scope>): Scope {
  let env: Set<string>;
  if (stage.parent !== undefined && stage.parent < stage.index) {
    env = new Set(memo.get(stage.parent)?.env ?? walk(ctx, ctx.stages[stage.parent], memo, () => undefined).env);
  } else {
    const image = stage.image.toLowerCase();
    const fromImage = image === 'scratch' ? undefined : ctx.options.baseImageEnv?.(stage.image);
    // BuildKit gives every Linux image a default PATH when its config has none.
    env = new Set(['PATH', ...Object.keys(fromImage ?? {})]);
  }
  return { env, declared: new Set<string>() };
}

/** Walks a stage in order, reporting undefined references; memoizes the stage's final scope. */
function walk(ctx: LintContext, stage: Stage, memo: Map<number, Scope>, onUndefined: (instr: Instr, name: string, options: Set<string>) => void): Scope {
  const start = stageScope(ctx, stage, memo);
  const scope: Scope = { env: new Set(start.env), declared: new Set() };
  for (const instr of stage.instrs) {
    if (instr.onbuild) continue;
    const check = (word: string): void => {
      for (const ref of varRefs(word, ctx.escape)) {
        if (scope.env.has(ref.name) || scope.declared.has(ref.name) || NON_ENV.has(ref.name)) continue;
        onUndefined(instr, ref.name, scope.env);
      }
    };
    if (instr.keyword === 'ARG') {
      for (const a of instr.args) {
        const eq = a.indexOf('=');
        if (eq >= 0) { check(a.slice(eq + 1)); scope.env.add(a.slice(0, eq)); }
        else scope.declared.add(a);
      }
      continue;
    }
    if (!EXPANDED.has(instr.keyword)) continue;
    if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
      for (const f of instr.flags) if (['chown', 'chmod'].includes(f.getName().toLowerCase())) check(f.getValue() ?? '');
      const hasHeredoc = instr.args.some((a) => /^<<-?["']?\w/.test(a));
      if (!hasHeredoc) for (const a of instr.args) check(a);
      continue;
    }
    if (instr.keyword === 'ENV') {
      // Every value is expanded against the environment before this ENV applies.
      const keys: string[] = [];
      const node = instr.node as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] };
      for (const p of node.getProperties()) { check(p.getValue() ?? ''); keys.push(p.getName()); }
      for (const k of keys) scope.env.add(k);
      continue;
    }
    for (const a of instr.args) check(a);
  }
  memo.set(stage.index, scope);
  return scope;
}

export default defineRule({
  code: 'UndefinedVar', name: 'UndefinedVar', family: 'buildkit', severity: 'warning',
  description: 'Variables should be defined before their use',
  url: buildkitUrl('undefined-var'),
  format: (name: string, suggestion: string) => `Usage of undefined variable '$${name}'${suggestion ? ` (did you mean $${suggestion}?)` : ''}`,
  examples: {
    bad: [{ source: 'FROM alpine AS base\nCOPY $foo .\n' }, { source: 'FROM alpine\nENV PATH=$PAHT:/app/bin\n' }],
    good: [{ source: 'FROM alpine AS base\nARG foo\nCOPY $foo .\n' }],
  },
  check(ctx, report) {
    const memo = new Map<number, Scope>();
    for (const stage of ctx.stages) {
      const seen = new Set<string>();
      walk(ctx, stage, memo, (instr, name, options) => {
        const key = `${instr.range.start.line}:${name}`;
        if (seen.has(key)) return;
        seen.add(key);
        report({ range: varRange(ctx, instr, name), message: this.format(name, suggest(name, options)) });
      });
    }
  },
});
