import { buildkitUrl, defineRule } from '../rule';
import type { Instr, LintContext, Stage } from '../context';
import { expand, globalArgEnv, suggest, varRange, varRefs } from './helpers';
import { isValidReference } from './invalid-default-arg-in-from';

// Instructions whose words BuildKit expands before running them; RUN, CMD, ENTRYPOINT and
// HEALTHCHECK leave variables to the shell and are not checked.
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
// Build arguments that never become environment variables.
const NON_ENV = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

/** `known`: the base image's environment is known, so an unknown name is really undefined. */
interface Scope { env: Set<string>; declared: Set<string>; known: boolean }

// Base images whose configuration sets no variable but PATH (BuildKit's default when an image
// has none). For any other image the variables it defines are unknown without
// `options.baseImageEnv`, and reporting them would be guesswork: `FROM jupyter/base` defines
// NB_UID, `FROM golang` GOPATH. Those stages are not checked unless the caller gives the env.
const PATH_ONLY = new Set(['scratch', 'alpine', 'busybox', 'debian', 'ubuntu', 'fedora', 'centos', 'rockylinux', 'almalinux',
  'amazonlinux', 'archlinux', 'oraclelinux', 'photon', 'opensuse/leap', 'opensuse/tumbleweed', 'gcr.io/distroless/static', 'gcr.io/distroless/base']);

/** `docker.io/library/alpine:3.20@sha256:…` → `alpine`. */
// Lenient on purpose (not image/reference's parser): a FROM being typed, or with a short
// digest, still names its repository.
export function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0].toLowerCase();
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
  return repo.replace(/^(docker\.io\/|index\.docker\.io\/)?(library\/)?/, '');
}

/**
 * The image a stage's FROM names, with global ARG defaults expanded as BuildKit would
 * (`ARG BASE=myimg` + `FROM $BASE` asks for `myimg`); undefined when the expansion is no
 * image name (`ARG BASE` without a value), since the image is then unknowable here.
 */
function baseImageName(ctx: LintContext, stage: Stage): string | undefined {
  if (!stage.image.includes('$')) return stage.image;
  const { result } = expand(stage.image, globalArgEnv(ctx, true), ctx.escape);
  return isValidReference(result) ? result : undefined;
}

/** The environment a stage starts with: its parent stage's final one, or its base image's. */
function stageScope(ctx: LintContext, stage: Stage, memo: Map<number, Scope>): Scope {
  if (stage.parent !== undefined && stage.parent < stage.index) {
    const parent = memo.get(stage.parent) ?? walk(ctx, ctx.stages[stage.parent], memo, () => undefined);
    return { env: new Set(parent.env), declared: new Set<string>(), known: parent.known };
  }
  const image = baseImageName(ctx, stage);
  const fromImage = image === undefined ? undefined : ctx.options.baseImageEnv?.(image);
  const known = fromImage !== undefined || (image !== undefined && PATH_ONLY.has(repositoryOf(image)));
  // BuildKit gives every Linux image a default PATH when its config has none.
  return { env: new Set(['PATH', ...Object.keys(fromImage ?? {})]), declared: new Set<string>(), known };
}

/** Walks a stage in order, reporting undefined references; memoizes the stage's final scope. */
function walk(ctx: LintContext, stage: Stage, memo: Map<number, Scope>, onUndefined: (instr: Instr, name: string, options: Set<string>) => void): Scope {
  const start = stageScope(ctx, stage, memo);
  const scope: Scope = { env: new Set(start.env), declared: new Set(), known: start.known };
  for (const instr of stage.instrs) {
    if (instr.onbuild) continue;
    const check = (word: string): void => {
      // An unknown base environment makes every name possibly defined: nothing to look up.
      if (!scope.known) return;
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
      for (const f of instr.flags) if (['chown', 'chmod'].includes(f.name.toLowerCase())) check(f.value ?? '');
      const hasHeredoc = instr.args.some((a) => /^<<-?["']?\w/.test(a));
      if (!hasHeredoc) for (const a of instr.args) check(a);
      continue;
    }
    if (instr.keyword === 'ENV') {
      // Every value is expanded against the environment before this ENV applies.
      const keys: string[] = [];
      for (const p of instr.properties) { check(p.value ?? ''); keys.push(p.name); }
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
    good: [{ source: 'FROM alpine AS base\nARG foo\nCOPY $foo .\n' }, { source: 'FROM python:3.13\nARG VERSION=$PYTHON_VERSION\n', note: 'python defines it; images other than the minimal OS ones are checked only with their environment' }],
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
