// Typed instructions → build plan: stages, ARG scopes, expansion, config evolution per step,
// history text, layer/no-layer decision, --target pruning. Pure: base image configs come in
// through `options.baseImage`; nothing here reads files or runs anything.
import { DockerfileError, InvalidArgumentError } from '../../errors.js';
import { toInstruction, type Dockerfile, type Instruction, type From } from '../../dockerfile/instructions.js';
import { nodeFromLine } from '../../dockerfile/syntax.js';
import { expand, type Lookup } from '../../dockerfile/shell/lex.js';
import { ArgScope, PROXY_ARGS, hostPlatform, platformArgs } from './args.js';
import { cloneConfig, envMap, goList, healthcheckHistory, normalisePorts, resolveWorkdir, setEnv, validSignal, wrapShell, type ImageConfig } from './config.js';
import { planCopy } from './copy.js';
import { redactUrl } from './git-ref.js';
import { goQuote } from '../../dockerfile/dump.js';
import { parseGoDuration } from '../../dockerfile/instructions.js';
import { absoluteTarget, parseRunMount } from './run-mount.js';
import type { BuildOptions, BuildPlan, CopyPlan, RunMount, RunPlan, SourceRef, Stage, StageBase, Step } from './types.js';

interface StageDraft { from: From; body: Instruction[]; index: number }

/** Split into the global ARGs and the stages; only ARG may come before the first FROM. */
function splitStages(df: Dockerfile): { globals: Instruction[]; stages: StageDraft[] } {
  const globals: Instruction[] = [];
  const stages: StageDraft[] = [];
  for (const ins of df.instructions) {
    if (ins.kind === 'FROM') { stages.push({ from: ins, body: [], index: stages.length }); continue; }
    const current = stages[stages.length - 1];
    if (current) current.body.push(ins);
    else if (ins.kind === 'ARG') globals.push(ins);
    else throw new DockerfileError(`no build stage in current context: ${ins.kind} before the first FROM`, df.file, ins.range);
  }
  return { globals, stages };
}

interface Globals { scope: ArgScope; lookup: Lookup; values: Record<string, string> }

function globalScope(df: Dockerfile, globals: Instruction[], buildArgs: Record<string, string>, platform: Map<string, string>): Globals {
  const scope = new ArgScope();
  const lookup: Lookup = (n) => (scope.has(n) ? scope.get(n) : platform.get(n));
  for (const ins of globals) {
    if (ins.kind !== 'ARG') continue;
    for (const a of ins.args) {
      const key = expandOr(df, ins, a.key, lookup).value;
      const dflt = a.value === undefined ? undefined : expandOr(df, ins, a.value, lookup).value;
      scope.declare(key, Object.prototype.hasOwnProperty.call(buildArgs, key) ? buildArgs[key] : dflt);
    }
  }
  return { scope, lookup, values: Object.fromEntries(scope.entries()) };
}

/** Expand with the Dockerfile's escape character; a bad expansion is located at `ins`. */
function expandOr(df: Dockerfile, ins: Instruction, text: string, lookup: Lookup): ReturnType<typeof expand> {
  try {
    return expand(text, lookup, { escape: df.directives.escape });
  } catch (err) {
    throw new DockerfileError((err as Error).message, df.file, ins.range, { cause: err });
  }
}

/** The image references FROM (and COPY --from=<image>) need, after global-ARG expansion. */
export function baseImageRefs(df: Dockerfile, options: BuildOptions = {}): string[] {
  const plan = planBuild(df, { ...options, baseImage: undefined });
  const refs = new Set<string>();
  for (const s of plan.stages) {
    if (s.base.kind === 'image') refs.add(s.base.ref);
    for (const st of s.steps) for (const src of [st.copy?.from, ...(st.run?.mountSources ?? [])]) if (src?.kind === 'image') refs.add(src.ref);
  }
  return [...refs];
}

export function planBuild(df: Dockerfile, options: BuildOptions = {}): BuildPlan {
  const platform = options.platform ?? hostPlatform();
  const buildPlatform = options.buildPlatform ?? hostPlatform();
  const buildArgs = options.buildArgs ?? {};
  const platArgs = platformArgs(buildPlatform, platform);
  const { globals, stages: drafts } = splitStages(df);
  const g = globalScope(df, globals, buildArgs, platArgs);
  const consumed = new Set<string>(g.scope.keys());
  const warnings = [...df.warnings];
  const stages: Stage[] = [];
  const byName = new Map<string, number>();
  const failures = new Map<number, unknown>();

  for (const d of drafts) {
    const image = expandOr(df, d.from, d.from.image, g.lookup).value;
    const stagePlatform = d.from.platform === undefined ? undefined : expandOr(df, d.from, d.from.platform, g.lookup).value;
    if (image === '') throw new DockerfileError(`base name (${d.from.image}) should not be blank`, df.file, d.from.range);
    const base: StageBase = image.toLowerCase() === 'scratch' ? { kind: 'scratch' }
      : byName.has(image.toLowerCase()) ? { kind: 'stage', stage: byName.get(image.toLowerCase())! }
        : { kind: 'image', ref: image };
    const parent = base.kind === 'stage' ? stages[base.stage]! : undefined;
    const baseImage = base.kind === 'image' ? options.baseImage?.(image, stagePlatform) : undefined;
    const inherited = parent ? cloneConfig(parent.config) : cloneConfig(baseImage?.config ?? {});
    const triggers = inherited.OnBuild ?? [];
    // ONBUILD triggers run in the child and are not passed on to grandchildren (Docker).
    if ('OnBuild' in inherited) inherited.OnBuild = null;
    const stage: Stage = {
      index: d.index, name: d.from.stageName, base, platform: stagePlatform, range: d.from.range,
      baseConfig: cloneConfig(inherited), author: parent?.author ?? baseImage?.author, steps: [], config: inherited,
      dependsOn: parent ? [parent.index] : [],
      baseKnown: base.kind === 'scratch' || (parent?.baseKnown ?? baseImage !== undefined),
    };
    const triggerInstructions = triggers.map((t) => {
      try {
        return toInstruction(nodeFromLine(t, df.directives.escape, df.file, d.from.range, () => d.from.range.start), df.file);
      } catch (err) {
        throw new DockerfileError(`invalid ONBUILD trigger from the base image "${t}": ${(err as Error).message}`, df.file, d.from.range, { cause: err });
      }
    });
    // BuildKit only dispatches the stages the target needs: an error in another stage (a bad
    // COPY destination, say) must not fail the build, so it is kept until reachability is known.
    try {
      new StagePlanner(df, stage, g, buildArgs, platArgs, byName, consumed).run(triggerInstructions, d.body);
    } catch (err) {
      failures.set(d.index, err);
    }
    stages.push(stage);
    if (d.from.stageName) byName.set(d.from.stageName, d.index);
  }

  const unused = Object.keys(buildArgs).filter((k) => !consumed.has(k) && !PROXY_ARGS.has(k));
  if (unused.length > 0) warnings.push({ message: `One or more build-args [${unused.join(' ')}] were not consumed`, range: drafts[0]!.from.range });

  let targetIndex = stages.length - 1;
  if (options.target !== undefined) {
    const t = byName.get(options.target.toLowerCase());
    if (t === undefined) throw new InvalidArgumentError(`target stage "${options.target}" could not be found`);
    targetIndex = t;
  }
  const reachable = new Set<number>();
  const visit = (i: number): void => { if (reachable.has(i)) return; reachable.add(i); for (const dep of stages[i]!.dependsOn) visit(dep); };
  visit(targetIndex);
  const kept = stages.filter((s) => reachable.has(s.index));
  for (const s of kept) if (failures.has(s.index)) throw failures.get(s.index);
  return { file: df.file, stages: kept, target: stages[targetIndex]!, globalArgs: g.values, platform, warnings };
}

class StagePlanner {
  private readonly args = new ArgScope();
  private cmdSet = false;

  constructor(
    private readonly df: Dockerfile,
    private readonly stage: Stage,
    private readonly globals: Globals,
    private readonly buildArgs: Record<string, string>,
    private readonly platArgs: Map<string, string>,
    private readonly byName: Map<string, number>,
    private readonly consumed: Set<string>,
  ) {}

  run(triggers: Instruction[], body: Instruction[]): void {
    for (const t of triggers) this.step(t, true);
    for (const ins of body) this.step(ins, false);
  }

  private fail(ins: Instruction, message: string): never {
    throw new DockerfileError(message, this.df.file, ins.range);
  }

  /**
   * The variables later instructions see, in BuildKit's order: the base's ENV, then each ARG
   * with a value and each ENV as they come — the later declaration of a name wins (BuildKit adds
   * both to its state's environment). It is also RUN's environment.
   */
  private stateEnv: Map<string, string> | undefined;

  private setStateEnv(key: string, value: string): void {
    this.stateEnv ??= envMap(this.stage.baseConfig);
    this.stateEnv.delete(key); // llb's AddEnv removes then appends
    this.stateEnv.set(key, value);
  }

  private step(ins: Instruction, trigger: boolean): void {
    const config = cloneConfig(this.stage.config);
    this.stateEnv ??= envMap(this.stage.baseConfig);
    const state = this.stateEnv;
    const lookup: Lookup = (n) => state.get(n);
    const used: Record<string, string> = {};
    const word = (text: string): string => {
      const r = expandOr(this.df, ins, text, lookup);
      for (const n of r.matched) used[n] = lookup(n)!;
      return r.value;
    };
    const words = (text: string): string[] => {
      const r = expandOr(this.df, ins, text, lookup);
      for (const n of r.matched) used[n] = lookup(n)!;
      return r.words;
    };
    const step: Step = {
      kind: 'config', instruction: ins, range: ins.range, trigger, layer: 'never', createdBy: '', history: true, config, usedArgs: {}, usedVars: used,
    };
    switch (ins.kind) {
      case 'FROM': this.fail(ins, 'FROM is not allowed here');
      // falls through (fail never returns)
      case 'ARG': {
        const parts: string[] = [];
        for (const a of ins.args) {
          const key = word(a.key);
          const dflt = a.value === undefined ? undefined : word(a.value);
          const fromBuild = Object.prototype.hasOwnProperty.call(this.buildArgs, key) ? this.buildArgs[key] : undefined;
          const inherited = this.globals.scope.has(key) ? this.globals.scope.get(key) : this.platArgs.get(key);
          const value = fromBuild ?? dflt ?? inherited;
          this.args.declare(key, value);
          if (value !== undefined) this.setStateEnv(key, value);
          this.consumed.add(key);
          parts.push(value === undefined ? key : `${key}=${value}`);
        }
        step.createdBy = `ARG ${parts.join(' ')}`;
        break;
      }
      case 'ENV': case 'LABEL': {
        const pairs = ins.pairs.map((p) => [word(p.key), word(p.value)] as const);
        for (const [k, v] of pairs) {
          if (ins.kind === 'ENV') { setEnv(config, k, v); this.setStateEnv(k, v); } else config.Labels = { ...config.Labels, [k]: v };
        }
        step.createdBy = `${ins.kind} ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
        break;
      }
      case 'EXPOSE': {
        const ports = normalisePorts(ins.ports.flatMap(words));
        if (typeof ports === 'string') this.fail(ins, ports);
        config.ExposedPorts = { ...config.ExposedPorts };
        for (const p of ports as string[]) config.ExposedPorts[p] = {};
        step.createdBy = `EXPOSE ${goList(ports as string[])}`;
        break;
      }
      case 'USER':
        config.User = word(ins.user);
        step.createdBy = `USER ${config.User}`;
        break;
      case 'WORKDIR': {
        const wd = resolveWorkdir(config.WorkingDir, word(ins.path));
        config.WorkingDir = wd;
        step.kind = 'workdir';
        step.layer = wd === '/' ? 'never' : 'if-changed';
        step.workdir = { path: wd, ...(config.User ? { user: config.User } : {}) };
        step.createdBy = `WORKDIR ${wd}`;
        break;
      }
      case 'VOLUME': {
        const vols = ins.paths.map(word);
        if (vols.some((v) => v.trim() === '')) this.fail(ins, 'VOLUME specified can not be an empty string');
        config.Volumes = { ...config.Volumes };
        for (const v of vols) config.Volumes[v] = {};
        step.createdBy = `VOLUME ${goList(vols)}`;
        break;
      }
      case 'STOPSIGNAL': {
        const sig = word(ins.signal);
        if (!validSignal(sig)) this.fail(ins, `invalid signal: ${sig}`);
        config.StopSignal = sig;
        step.createdBy = `STOPSIGNAL ${sig}`;
        break;
      }
      case 'SHELL':
        config.Shell = [...ins.shell];
        step.createdBy = `SHELL ${goList(ins.shell)}`;
        break;
      case 'MAINTAINER':
        this.stage.author = ins.name;
        step.createdBy = `MAINTAINER ${ins.name}`;
        break;
      case 'ONBUILD':
        config.OnBuild = [...(config.OnBuild ?? []), ins.expression];
        step.createdBy = `ONBUILD ${ins.expression}`;
        step.history = false; // BuildKit records the trigger in the config only
        break;
      case 'CMD': case 'ENTRYPOINT': {
        const argv = ins.command.form === 'exec' ? [...ins.command.args] : wrapShell(config, ins.command.script);
        if (ins.kind === 'CMD') { config.Cmd = argv; this.cmdSet = true; } else {
          config.Entrypoint = argv;
          // An ENTRYPOINT resets a CMD inherited from the base; a CMD of this stage stays.
          if (!this.cmdSet) config.Cmd = null;
        }
        step.createdBy = `${ins.kind} [${argv.map(goQuote).join(' ')}]`;
        break;
      }
      case 'HEALTHCHECK': {
        if (ins.test === 'NONE') config.Healthcheck = { Test: ['NONE'] };
        else {
          const test = ins.test.form === 'exec' ? ['CMD', ...ins.test.args] : ['CMD-SHELL', ins.test.script];
          config.Healthcheck = { Test: test };
          const set = (k: 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval', v: string | undefined): void => {
            if (v !== undefined) config.Healthcheck![k] = parseGoDuration(v)!;
          };
          set('Interval', ins.interval); set('Timeout', ins.timeout); set('StartPeriod', ins.startPeriod); set('StartInterval', ins.startInterval);
          if (ins.retries !== undefined) config.Healthcheck.Retries = Number(ins.retries);
        }
        step.createdBy = healthcheckHistory(config.Healthcheck);
        break;
      }
      case 'RUN':
        this.planRun(ins, step, config);
        break;
      case 'COPY': case 'ADD': {
        const from = ins.kind === 'COPY' && ins.from !== undefined ? this.sourceRef(ins, word(ins.from)) : { kind: 'context' as const };
        step.copy = planCopy(ins, {
          word, from, workdir: config.WorkingDir, fail: (m) => this.fail(ins, m), lenient: !this.stage.baseKnown,
          text: (t) => {
            const r = expand(t, lookup, { escape: '\\', literalQuotes: true });
            for (const n of r.matched) used[n] = lookup(n)!;
            return r.value;
          },
        });
        if (from.kind !== 'context') this.depend(from);
        step.kind = ins.kind === 'COPY' ? 'copy' : 'add';
        step.layer = 'always';
        step.createdBy = copyHistory(ins.kind, step.copy);
        break;
      }
    }
    // ARG values a step depends on: the ones its expansion used, plus (RUN) all declared args,
    // because they are in the command's environment. ENV values come with the parent key.
    const fromEnv = envMap(this.stage.config);
    for (const [k, v] of ins.kind === 'RUN' ? this.args.entries() : Object.entries(used)) {
      if (this.args.has(k) && !(fromEnv.get(k) === v && this.args.get(k) !== v)) step.usedArgs[k] = v;
    }
    this.stage.config = config;
    this.stage.steps.push(step);
  }

  private planRun(ins: Extract<Instruction, { kind: 'RUN' }>, step: Step, config: ImageConfig): void {
    const { args: argv, files } = runArgv(ins, config);
    const state = this.stateEnv!;
    const proxies = Object.entries(this.buildArgs).filter(([k]) => PROXY_ARGS.has(k) && !this.args.has(k));
    const mountSources: SourceRef[] = [];
    const mounts: RunMount[] = [];
    // Mount values see the same variables as the command (BuildKit expands every field).
    const lookup: Lookup = (n) => state.get(n);
    const expandValue = (v: string): string => {
      const r = expandOr(this.df, ins, v, lookup);
      for (const n of r.matched) step.usedVars[n] = lookup(n)!;
      return r.value;
    };
    for (const raw of ins.mounts) {
      let parsed;
      try {
        parsed = parseRunMount(raw, expandValue);
        // A secret without a target is an environment variable only; other types default to WORKDIR.
        if (parsed.target !== '' || (parsed.type !== 'secret' && parsed.type !== 'ssh')) parsed.target = absoluteTarget(parsed.target, config.WorkingDir);
      } catch (err) {
        if (err instanceof DockerfileError) throw err;
        throw new DockerfileError(`RUN --mount=${raw}: ${(err as Error).message}`, this.df.file, ins.range, { cause: err });
      }
      const { from, ...rest } = parsed;
      const mount: RunMount = rest;
      if (from !== undefined && from !== '') {
        const ref = this.sourceRef(ins, from);
        mount.from = ref;
        mountSources.push(ref);
        this.depend(ref);
      } else if (parsed.type === 'bind') {
        mount.from = { kind: 'context' };
      }
      if (mount.type === 'cache') mount.id ||= mount.target;
      mounts.push(mount);
    }
    const network = ins.network ?? undefined;
    if (network !== undefined && !['default', 'host', 'none'].includes(network)) {
      this.fail(ins, `RUN --network=${network} is not supported (default, host or none)`);
    }
    step.kind = 'run';
    step.layer = 'always';
    step.run = {
      args: argv, files, heredocs: ins.heredocs, mounts, mountSources, network, security: ins.security,
      env: [...[...state].map(([k, v]) => `${k}=${v}`), ...proxies.map(([k, v]) => `${k}=${v}`)],
    };
    // BuildKit's runCommandString: "|N K=V ..." for every ARG declared in the stage, valued
    // from ENV when ENV has the name, "" when declared without a value.
    const declared = this.args.keys().map((k) => `${k}=${state.get(k) ?? ''}`);
    const prefix = declared.length > 0 ? [`|${declared.length}`, ...declared] : [];
    step.createdBy = `RUN ${[...prefix, ...argv].join(' ')} # buildkit`;
  }

  /** --from=<name|index|image>: an earlier stage by name or index, else an image reference. */
  private sourceRef(ins: Instruction, from: string): SourceRef {
    const byName = this.byName.get(from.toLowerCase());
    if (byName !== undefined) return { kind: 'stage', stage: byName };
    if (/^\d+$/.test(from)) {
      const i = Number(from);
      if (i >= this.stage.index) this.fail(ins, `invalid from flag value ${from}: refers to current or later stage`);
      return { kind: 'stage', stage: i };
    }
    if (from.toLowerCase() === (this.stage.name ?? '')) this.fail(ins, `circular dependency detected on stage: ${from}`);
    return { kind: 'image', ref: from };
  }

  private depend(ref: SourceRef): void {
    if (ref.kind === 'stage' && !this.stage.dependsOn.includes(ref.stage)) this.stage.dependsOn.push(ref.stage);
  }
}


/**
 * RUN's argv, heredocs folded in as BuildKit does: `RUN <<EOF` alone runs the body (directly
 * when it starts with #!, from /dev/pipes/<name>; otherwise through SHELL); with anything else on
 * the line, the line plus the bodies and delimiters go to the shell as one script.
 */
export function runArgv(ins: Extract<Instruction, { kind: 'RUN' }>, config: ImageConfig): Pick<RunPlan, 'args' | 'files'> {
  if (ins.command.form === 'exec') return { args: [...ins.command.args], files: [] };
  const script = ins.command.script;
  if (ins.heredocs.length === 0) return { args: wrapShell(config, script), files: [] };
  const doc = ins.heredocs[0]!;
  if (ins.heredocs.length === 1 && /^\s*\d*<<-?\S+\s*$/.test(script)) {
    if (!doc.content.startsWith('#!')) return { args: wrapShell(config, doc.content), files: [] };
    const path = `/dev/pipes/${doc.name}`;
    return { args: [path], files: [{ path, content: doc.content, mode: 0o755 }] };
  }
  return { args: wrapShell(config, script + ins.heredocs.map((h) => `\n${h.content}${h.name}`).join('')), files: [] };
}

/** BuildKit's COPY/ADD history: flags it shows, path sources, then heredocs, then the dest. */
function copyHistory(kind: 'COPY' | 'ADD', copy: CopyPlan): string {
  const parts: string[] = [kind];
  if (copy.parents) parts.push('--parents');
  if (copy.chown) parts.push(`--chown=${copy.chown.user}${copy.chown.group !== undefined ? ':' + copy.chown.group : ''}`);
  if (copy.chmod !== undefined) parts.push(`--chmod=${typeof copy.chmod === 'number' ? copy.chmod.toString(8).padStart(3, '0') : copy.chmod}`);
  // A password or token in an ADD URL stays out of the image's history (it is pushed with the image).
  for (const s of copy.sources) if (s.kind !== 'inline') parts.push(s.kind === 'path' ? s.path : redactUrl(s.url));
  for (const s of copy.sources) if (s.kind === 'inline') parts.push(`<<${s.name}`);
  parts.push(copy.destRaw);
  return `${parts.join(' ')} # buildkit`;
}
