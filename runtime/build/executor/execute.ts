// Running a step that missed the cache, and handing its layer to the image store:
//   RUN          in a container over the stage's layers (+ the build's init layer), with its
//                --mount's prepared and their mount points removed from the upper dir after
//   COPY / ADD   straight from the selected files when copy-layer.ts can (nothing written to an
//                upper dir), else copied into an overlay view (performCopy); --link copies into
//                an empty tree
//   WORKDIR      created inside the root, owned by USER
// then the upper dir → layer blob + change list, and the upper dir itself adopted as the
// layer's unpacked dir (no re-extraction for the next step's overlay).
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileError, describe } from '../../errors';
import { diffUpperDir } from '../../layer/diff';
import type { ImageStore } from '../../image/store';
import { shortId } from '../../image/layers';
import type { StepDescription } from '../cache-key';
import { resolveInRoot, type selectCopySources } from '../context';
import type { Step } from '../plan';
import type { BuildRun } from './build-run';
import type { CacheEntry } from './cache';
import { copyLayer, type CopyLayer } from './copy-layer';
import { performCopy, resolveChown } from './copy';
import { mountOverlay } from './mounts';
import { runStep } from './run';
import { prepareRunMounts, removeMountpoints } from './run-mounts';
import type { StageState } from './stages';

/** A step that missed, with what the lookup computed for it. */
export interface MissedStep {
  step: Step;
  /** Its index in the whole build (events). */
  n: number;
  desc: StepDescription;
  key: string;
  state: StageState;
  /** COPY/ADD: the selected (and hashed) sources. */
  selection: Awaited<ReturnType<typeof selectCopySources>> | undefined;
  /** RUN --mount: the keys of what the mounts read, in mount order. */
  mountKeys: string[] | undefined;
}

/** Runs a step that missed the cache; the entry to cache (with its layer, if it made one). */
export async function executeStep(run: BuildRun, m: MissedStep): Promise<CacheEntry> {
  const { step, desc, key } = m;
  const created = new Date().toISOString();
  if (step.layer === 'never') return { key, description: desc, created };
  const env = run.env;
  const lowers = await run.lowers(m.state);
  const dir = run.newDir();
  let upper: string;
  let direct: CopyLayer | undefined;
  if (step.kind === 'run') {
    upper = await runInContainer(run, m, lowers, dir);
  } else {
    // COPY --link copies into an empty tree: its layer never depends on the layers below.
    const view = mountOverlay(env.sys, dir, step.copy?.link ? [] : lowers);
    try {
      if (step.copy) {
        const input = { root: view.merged, copy: step.copy, kind: step.kind === 'add' ? 'add' as const : 'copy' as const, selection: m.selection!, special: env.special, git: run.gitSources.get(step), downloads: run.downloads.get(step) };
        // The layer straight from the selected files, when that gives what copying would (copy-layer.ts).
        direct = await copyLayer({ ...input, lowerDirs: lowers });
        if (!direct) await performCopy(input);
      } else if (step.workdir) {
        await makeWorkdir(view.merged, step.workdir.path, step.workdir.user);
      }
    } catch (err) {
      if (err instanceof DockerfileError) throw err;
      throw new DockerfileError(describe(err), run.plan.file, step.range, { cause: err });
    } finally {
      view.release();
    }
    upper = view.upper;
  }
  if (direct) {
    // Nothing was written to the upper dir: the store unpacks this layer when something needs it.
    const record = await env.store.layers.create(direct.items, { changes: direct.changes });
    return { key, description: desc, created, layer: { diffID: record.diffID, digest: record.digest, mediaType: record.mediaType, size: record.size } };
  }
  const diff = await diffUpperDir(upper, lowers, { special: env.special });
  if (step.layer === 'if-changed' && diff.changes.length === 0) return { key, description: desc, created };
  const record = await env.store.layers.create(diff.items, { changes: diff.changes });
  await adoptUpper(env.store, record.diffID, upper);
  return { key, description: desc, created, layer: { diffID: record.diffID, digest: record.digest, mediaType: record.mediaType, size: record.size } };
}

/** RUN in a container; its upper dir (mount points removed). A failing command is a located error with its exit code. */
async function runInContainer(run: BuildRun, m: MissedStep, lowers: string[], dir: string): Promise<string> {
  const { step } = m;
  const spec = step.run!;
  const upperDir = path.join(dir, 'upper');
  const work = path.join(dir, 'work');
  for (const d of [upperDir, work, path.join(dir, 'merged')]) fs.mkdirSync(d, { recursive: true });
  if (lowers.length === 0) throw new DockerfileError('RUN needs a base image with a shell or the program to run (the stage is FROM scratch with no files)', run.plan.file, step.range);
  const mounts = spec.mounts.length === 0 ? undefined : await run.located(step, () => prepareRunMounts(spec.mounts, m.mountKeys ?? [], {
    sys: run.env.sys, dir: path.join(dir, 'mounts'), context: run.req.context, ignore: run.ignore,
    lowers: async (ref) => run.lowers(await run.stages.layers(ref, step)),
    caches: run.env.cacheMounts, secrets: new Map(Object.entries(run.req.secrets ?? {})),
  }));
  let status;
  try {
    status = await runStep({
      run: spec, user: step.config.User, workdir: step.config.WorkingDir, hostname: run.buildId.slice(0, 12),
      lowers: [run.init(), ...lowers], imageLowers: lowers, dir, upper: upperDir, work,
      mounts: mounts?.mounts, env: mounts?.env,
      onOutput: (stream, text) => run.emit({ type: 'step-log', buildId: run.buildId, step: m.n, stream, text }),
      signal: run.signal,
    }, run.env.start);
  } finally {
    mounts?.release();
  }
  if (mounts) await removeMountpoints(upperDir, lowers, mounts.targets, run.env.special);
  if (status.exitCode !== 0 || status.signal) {
    const err = new DockerfileError(`process "${spec.args.join(' ')}" did not complete successfully: exit code: ${status.exitCode}`, run.plan.file, step.range);
    Object.assign(err, { exitCode: status.exitCode });
    throw err;
  }
  return upperDir;
}

/** WORKDIR's directory, created (with its missing parents) owned by the step's USER, as BuildKit does. */
async function makeWorkdir(root: string, dir: string, user: string | undefined): Promise<void> {
  const owner = user ? resolveChown(root, { user: user.split(':')[0]!, group: user.split(':')[1] }) : undefined;
  // Symlinks on the way are resolved inside the root: a link to /etc must not reach the host's.
  const rel = await resolveInRoot(root, dir);
  let cur = root;
  for (const part of rel.split('/').filter((p) => p !== '' && p !== '.')) {
    cur = path.join(cur, part);
    if (fs.lstatSync(cur, { throwIfNoEntry: false })) continue;
    fs.mkdirSync(cur, { mode: 0o755 });
    if (owner) fs.lchownSync(cur, owner.uid, owner.gid);
  }
}

/**
 * The step's upper dir is already the layer in overlay form (whiteouts as 0/0 devices, opaque
 * xattrs): move it into the store as the layer's unpacked dir instead of extracting the blob
 * again (the layout of image/layers.ts: layers/<hex>/{diff,link}, l/<short> → diff).
 */
async function adoptUpper(store: ImageStore, diffID: string, upper: string): Promise<void> {
  const hex = diffID.slice(7);
  const layerDir = path.join(store.layers.layersDir, hex);
  if (fs.existsSync(path.join(layerDir, 'diff'))) return;
  const tmp = path.join(store.layers.layersDir, `${hex}.tmp-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(tmp);
    fs.renameSync(upper, path.join(tmp, 'diff'));
    const id = shortId(diffID);
    fs.writeFileSync(path.join(tmp, 'link'), id);
    fs.renameSync(tmp, layerDir);
    fs.rmSync(path.join(store.layers.linksDir, id), { force: true });
    fs.symlinkSync(path.join('..', 'layers', hex, 'diff'), path.join(store.layers.linksDir, id));
  } catch {
    // Another build adopted it first, or the rename crossed devices: the blob unpacks on demand.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
