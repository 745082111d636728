// Build routes:
//   POST /slipway/build?dockerfile=&t=&target=&nocache=&pull=&buildargs=
//        body {"context":"/abs/dir", "secrets":[{"id":"x","data":"<base64>"}]}
//        → Slipway's BuildEvent stream (ndjson), for the CLI and the editor's per-layer preview;
//        secrets feed RUN --mount=type=secret (the classic /build has no way to send them)
//   POST /build?t=&dockerfile=&buildargs=&nocache=&target=&labels=&pull=   body: tar of the context
//        → Docker's classic-builder JSON lines, so `DOCKER_BUILDKIT=0 docker build` works
//   POST /build/prune → {"CachesDeleted":[...],"SpaceReclaimed":N}: forgets cached steps and
//        removes RUN cache mounts (`docker builder prune`, `slipway builder prune`)
// Errors before the build starts (bad query, missing context) are HTTP errors; once the stream
// has begun they are its last line.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, describe } from '../../errors';
import { Builder, type BuildRequest } from '../../build/executor';
import { dockerStreamTranslator } from '../../build/executor/docker-stream';
import type { BuildEvent } from '../../build/events';
import { extractTar } from '../../layer/extract';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import { decompressed } from '../../layer/writer';
import { checkTagName } from '../../image/store';
import { familiarName, parseReference } from '../../image';
import type { Call } from '../call';
import type { Route } from '../router';
import { builderPart } from '../parts/images';

/** A JSON object of strings in a query parameter (buildargs, labels); null values are dropped. */
function jsonMap(call: Call, name: string): Record<string, string> | undefined {
  const raw = call.query.string(name);
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch (err) { throw new InvalidArgumentError(`${name} is not valid JSON: ${raw}`, { cause: err }); }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError(`${name} must be a JSON object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') throw new InvalidArgumentError(`${name}: the value of ${k} must be a string`);
    out[k] = v;
  }
  return out;
}

/** The Dockerfile, relative to the context and inside it. */
function dockerfilePath(context: string, name: string | undefined): string {
  const file = path.resolve(context, name || 'Dockerfile');
  if (!fs.existsSync(file)) throw new InvalidArgumentError(`cannot find the Dockerfile ${name || 'Dockerfile'} in the build context ${context}`);
  return file;
}

function request(call: Call, context: string): BuildRequest {
  const q = call.query;
  return {
    context,
    dockerfile: dockerfilePath(context, q.string('dockerfile')),
    tags: q.all('t').filter((t) => t !== '').map(checkTagName),
    target: q.string('target') || undefined,
    buildArgs: jsonMap(call, 'buildargs'),
    labels: jsonMap(call, 'labels'),
    noCache: q.bool('nocache'),
    pull: q.bool('pull'),
  };
}

/** `secrets` of the /slipway/build body: [{id, data: base64}] → bytes by id. Values are never echoed. */
export function secretsOf(raw: unknown): Record<string, Buffer> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new InvalidArgumentError('secrets must be a list of {"id": "...", "data": "<base64>"}');
  const out: Record<string, Buffer> = {};
  for (const [i, s] of raw.entries()) {
    const { id, data } = (s ?? {}) as { id?: unknown; data?: unknown };
    if (typeof id !== 'string' || id === '') throw new InvalidArgumentError(`secrets[${i}]: id must be a non-empty string`);
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new InvalidArgumentError(`secret ${id}: data must be base64`);
    out[id] = Buffer.from(data, 'base64');
  }
  return out;
}

async function slipwayBuild(call: Call): Promise<void> {
  const body = await call.json<{ context?: string; secrets?: unknown }>();
  const context = body?.context;
  if (!context || !path.isAbsolute(context)) throw new InvalidArgumentError('body must be {"context": "/absolute/dir"}');
  if (!fs.statSync(context, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`build context ${context} is not a directory`);
  const req = { ...request(call, context), secrets: secretsOf(body?.secrets) };
  const out = call.stream();
  await runBuild(call, req, (e) => out.write(e), out.signal);
  out.end();
}

/**
 * Runs one build for either route. A failure has already been reported in the stream (its last
 * event); here it is only logged. On success every tag is published as an image "tag" event, as
 * Docker does for `build -t`, so the editor's Images tree refreshes without polling.
 */
async function runBuild(call: Call, req: BuildRequest, emit: (e: BuildEvent) => void, signal: AbortSignal): Promise<void> {
  const builder = await builderPart(call.ctx);
  try {
    const { imageId, tags } = await builder.build(req, emit, signal);
    for (const name of tags) call.ctx.events.publish({ Type: 'image', Action: 'tag', Actor: { ID: imageId, Attributes: { name: familiarName(parseReference(name)) } } });
  } catch (err) {
    call.ctx.log.info('build failed', { error: describe(err) });
  }
}

async function dockerBuild(call: Call): Promise<void> {
  const dir = path.join(Builder.tempRoot(call.ctx.stateRoot), `ctx-${randomBytes(8).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // The context arrives as a (possibly gzip) tar: extracted so nothing lands outside `dir`.
    await extractTar(await decompressed(call.body(), 'build context'), dir, { whiteouts: 'apply', special: defaultSpecialFs() });
    const req = request(call, dir);
    const out = call.stream();
    const translate = dockerStreamTranslator();
    // The context is this temp copy: a path into it means nothing to the client, so errors say
    // the path inside the context instead.
    const inContext = (e: BuildEvent): BuildEvent => (e.type === 'build-error' ? { ...e, message: e.message.split(`${dir}/`).join('').split(dir).join('.') } : e);
    await runBuild(call, req, (e) => { for (const m of translate(inContext(e))) out.write(m); }, out.signal);
    out.end();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Docker's BuildCachePruneResponse; `all`, `filters` and `keep-storage` are accepted and everything unused goes. */
async function pruneBuildCache(call: Call): Promise<unknown> {
  const builder = await builderPart(call.ctx);
  const r = builder.prune();
  return { CachesDeleted: [...r.cacheMounts, ...(r.cachedSteps > 0 ? [`${r.cachedSteps} cached build steps`] : [])], SpaceReclaimed: r.reclaimed };
}

export const buildRoutes: Route[] = [
  { method: 'POST', path: '/slipway/build', handler: slipwayBuild },
  { method: 'POST', path: '/build', handler: dockerBuild },
  { method: 'POST', path: '/build/prune', handler: pruneBuildCache },
];
