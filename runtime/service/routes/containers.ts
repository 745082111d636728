// Container routes of the Docker Engine API (shapes and status codes from
// ../shared/specs/docker-engine-api.swagger.yaml): create, list, inspect, the lifecycle verbs,
// wait, resize, attach, logs, top, stats, delete and prune; rename, update and the archive
// (docker cp) routes, whose work is in container/rename.ts, container/update.ts and
// routes/container-archive.ts. The work is the lifecycle manager's
// (runtime/container/manager.ts); the streams are in parts/streams.ts.
import os from 'node:os';
import { describe, InvalidArgumentError, SlipwayError, statusOf } from '../../errors';
import { checkWorkingDir, type CreateRequest } from '../../container/config';
import { inspectJson, listContainers, listJson, parseFilters } from '../../container/state';
import type { WaitCondition } from '../../container/manager';
import type { Call } from '../call';
import type { Route } from '../router';
import { containerPart, type ContainerPart } from '../parts/containers';
import { attach, logs } from '../parts/streams';
import { containerUsage } from '../parts/disk-usage';
import { imageStore } from '../parts/images';
import { renameContainer } from '../../container/rename';
import { updateContainer, type UpdateRequest } from '../../container/update';
import { archiveGet, archiveHead, archivePut } from './container-archive';

const part = (call: Call) => containerPart(call.ctx);

/** Docker answers 304 (no body) for start of a started / stop of a stopped container. */
async function orNotModified(call: Call, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (statusOf(err) !== 304) throw err;
    return call.send(304, '');
  }
  call.reply(204);
}

/** ?t= seconds (Docker also accepted "time" in old versions). */
function stopTimeout(call: Call): number | undefined {
  return call.query.int('t') ?? call.query.int('time');
}

async function create(call: Call): Promise<void> {
  const body = await call.json<CreateRequest>();
  if (!body) throw new InvalidArgumentError('config cannot be empty in order to create a container');
  const p = await part(call);
  const name = call.query.string('name');
  call.reply(201, await p.manager.create(body, name ? { name } : {}));
}

async function list(call: Call): Promise<unknown> {
  const p = await part(call);
  const q = call.query;
  const limit = q.int('limit', -1);
  const filters = parseFilters(q.string('filters'));
  // `ancestor=busybox` means the image that name resolves to now, as dockerd matches it: look
  // the names up in the store first (the filter itself is synchronous).
  const ancestors = new Map<string, string>();
  if (filters.ancestor?.length) {
    const store = await imageStore(call.ctx);
    for (const name of filters.ancestor) {
      const img = await store.find(name).catch(() => undefined);
      if (img) ancestors.set(name, img.id);
    }
  }
  const records = listContainers(p.store.list(), {
    all: q.bool('all'), limit: limit !== undefined && limit > 0 ? limit : undefined, filters,
    resolveImage: (ref) => ancestors.get(ref),
  });
  const now = Date.now();
  if (!q.bool('size')) return records.map((r) => listJson(r, now));
  // `ps -s`: the writable layer's bytes, and with the image's (as /system/df counts them).
  const images = new Map((await (await imageStore(call.ctx)).list()).map((i) => [i.id, i.size]));
  return records.map((r) => containerUsage(r, images.get(r.imageId) ?? 0, undefined, now));
}

async function inspect(call: Call): Promise<unknown> {
  const p = await part(call);
  const rec = p.store.get(call.params.id);
  return inspectJson(rec, { execIds: p.execs.idsOf(rec.id), stateDir: p.store.containerDir(rec.id) });
}

async function start(call: Call): Promise<void> {
  const p = await part(call);
  const rec = p.store.get(call.params.id);
  // dockerd's SetupWorkingDirectory check, in the container's own paths (the start-up's mkdir
  // would fail with the host's path of the rootfs); only for a container that is not running.
  if (rec.rootfs && rec.config.WorkingDir && !['running', 'paused', 'restarting'].includes(rec.state.status)) {
    try {
      checkWorkingDir([rec.rootfs.upperDir, ...rec.rootfs.lowerDirs], rec.config.WorkingDir, rec.mounts.map((m) => m.Destination));
    } catch (err) {
      // As any failed start of a --rm container: it is removed (`docker run --rm` waits for that).
      if (rec.hostConfig.AutoRemove) await p.manager.remove(rec.id, { force: true, volumes: true }).catch(() => undefined);
      throw err;
    }
  }
  await orNotModified(call, () => p.start(call.params.id));
}

async function stop(call: Call): Promise<void> {
  const p = await part(call);
  const rec = p.store.get(call.params.id);
  await orNotModified(call, async () => {
    await p.manager.stop(rec.id, { timeout: stopTimeout(call), signal: call.query.string('signal') });
    // dockerd's sequence is kill, die, stop; the manager publishes the first two.
    call.ctx.events.publish({ Type: 'container', Action: 'stop', Actor: { ID: rec.id, Attributes: { ...rec.config.Labels, name: rec.name, image: rec.image } } });
  });
}

async function restart(call: Call): Promise<void> {
  const p = await part(call);
  const rec = p.store.get(call.params.id);
  // The manager's start binds the ports again before the process runs, as every start does.
  await p.manager.restart(rec.id, { timeout: stopTimeout(call), signal: call.query.string('signal') });
}

async function kill(call: Call): Promise<void> {
  const p = await part(call);
  try {
    await p.manager.kill(call.params.id, call.query.string('signal') || 'SIGKILL');
  } catch (err) {
    throw killError(call.params.id, err);
  }
}

/**
 * dockerd's kill route wraps every failure as "cannot kill container: <name as given>: …", and
 * its errNotRunning reads "container <id> is not running" (daemon/kill.go, daemon/errors.go).
 */
export function killError(name: string, err: unknown): SlipwayError {
  const message = (err instanceof Error ? err.message : String(err)).replace(/^Container (\S+) is not running$/, 'container $1 is not running');
  return new SlipwayError(`cannot kill container: ${name}: ${message}`, { status: statusOf(err) });
}

async function wait(call: Call): Promise<void> {
  const p = await part(call);
  const condition = (call.query.string('condition') || 'not-running') as WaitCondition;
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw new InvalidArgumentError(`invalid condition: "${condition}"`);
  const rec = p.store.find(call.params.id);
  // A run that ended moments before its `next-exit`/`removed` wait arrived answers it.
  const recent = condition === 'not-running' ? undefined : p.recentExit(call.params.id);
  if (!rec && !recent) p.store.get(call.params.id); // 404, before any header
  // As dockerd: the headers go at once (the docker CLI waits for them before it starts the
  // container), the result when the condition is met.
  const out = call.stream();
  const result = rec && !(recent && !['running', 'paused', 'restarting'].includes(rec.state.status))
    ? await p.manager.wait(rec.id, condition).catch((err) => ({ StatusCode: -1, Error: { Message: describe(err) } }))
    : { StatusCode: recent!.exitCode, Error: null };
  out.write(result);
  out.end();
}

async function pause(call: Call): Promise<void> {
  await (await part(call)).manager.pause(call.params.id);
}

async function unpause(call: Call): Promise<void> {
  await (await part(call)).manager.unpause(call.params.id);
}

async function resize(call: Call): Promise<void> {
  const p = await part(call);
  const rows = call.query.int('h');
  const cols = call.query.int('w');
  if (rows === undefined || cols === undefined || rows < 0 || cols < 0) throw new InvalidArgumentError('resize needs h and w as non-negative integers');
  const rec = p.store.get(call.params.id);
  const io = p.manager.io(rec.id);
  if (!io.terminal) throw new SlipwayError(`container ${rec.id} has no terminal to resize`, { status: 409 });
  io.terminal.resize({ rows, cols });
  call.reply(200);
}

async function top(call: Call): Promise<unknown> {
  return (await part(call)).manager.top(call.params.id, call.query.string('ps_args'));
}

async function stats(call: Call): Promise<void> {
  const p = await part(call);
  const rec = p.store.get(call.params.id);
  const streaming = call.query.bool('stream', true) && !call.query.bool('one-shot');
  if (!streaming) {
    // Without a previous sample precpu is empty; Docker's one-shot=false takes two, 1 s apart.
    if (!call.query.bool('one-shot')) {
      p.manager.stats(rec.id);
      await new Promise((r) => setTimeout(r, 1000));
    }
    return call.reply(200, p.manager.stats(rec.id));
  }
  const out = call.stream();
  while (!out.signal.aborted) {
    const current = p.store.find(rec.id);
    out.write(p.manager.stats(rec.id));
    if (!current || !['running', 'paused'].includes(current.state.status)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  out.end();
}

async function remove(call: Call): Promise<void> {
  const p = await part(call);
  await p.manager.remove(call.params.id, { force: call.query.bool('force'), volumes: call.query.bool('v') });
}

async function prune(call: Call): Promise<unknown> {
  const p = await part(call);
  const filters = call.query.filters().validate(['until', 'label', 'label!']);
  const until = filters.get('until')[0];
  const cutoff = until ? (/^\d+$/.test(until) ? Number(until) * 1000 : Date.parse(until)) : Infinity;
  const deleted: string[] = [];
  for (const rec of p.store.list()) {
    if (!['exited', 'created', 'dead'].includes(rec.state.status)) continue;
    if (Date.parse(rec.created) >= cutoff) continue;
    const labels = rec.config.Labels ?? {};
    const has = (l: string) => { const [k, v] = l.split('='); return v === undefined ? k in labels : labels[k] === v; };
    if (!filters.get('label').every(has) || filters.get('label!').some(has)) continue;
    await p.manager.remove(rec.id, { volumes: false });
    deleted.push(rec.id);
  }
  call.ctx.events.publish({ Type: 'container', Action: 'prune', Actor: { ID: '', Attributes: { reclaimed: '0' } } });
  return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: 0 };
}

/** Docker's event attributes of a container: its labels, image and name. */
function eventOf(call: Call, rec: { id: string; name: string; image: string; config: { Labels?: Record<string, string> | null } }, action: string, extra: Record<string, string> = {}): void {
  call.ctx.events.publish({ Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...rec.config.Labels, image: rec.image, name: rec.name, ...extra } } });
}

async function rename(call: Call): Promise<void> {
  const p = await part(call);
  await renameContainer(p.store, call.params.id, call.query.string('name'), (rec, action, extra) => eventOf(call, rec, action, extra));
}

async function update(call: Call): Promise<unknown> {
  const p = await part(call);
  const body = (await call.json<UpdateRequest>()) ?? {};
  return updateContainer({ store: p.store, cgroups: p.cgroups, host: { cpus: os.cpus().length }, publish: (rec, action) => eventOf(call, rec, action) }, call.params.id, body);
}

async function attachRoute(call: Call): Promise<void> {
  await attach(call, await part(call));
}

async function logsRoute(call: Call): Promise<void> {
  await logs(call, await part(call));
}

export type { ContainerPart };

export const containerRoutes: Route[] = [
  { method: 'POST', path: '/containers/create', handler: create },
  { method: 'GET', path: '/containers/json', handler: list },
  { method: 'POST', path: '/containers/prune', handler: prune },
  { method: 'GET', path: '/containers/{id}/json', handler: inspect },
  { method: 'POST', path: '/containers/{id}/start', handler: start },
  { method: 'POST', path: '/containers/{id}/stop', handler: stop },
  { method: 'POST', path: '/containers/{id}/restart', handler: restart },
  { method: 'POST', path: '/containers/{id}/kill', handler: kill },
  { method: 'POST', path: '/containers/{id}/wait', handler: wait },
  { method: 'POST', path: '/containers/{id}/pause', handler: pause },
  { method: 'POST', path: '/containers/{id}/unpause', handler: unpause },
  { method: 'POST', path: '/containers/{id}/resize', handler: resize },
  { method: 'POST', path: '/containers/{id}/attach', handler: attachRoute },
  { method: 'GET', path: '/containers/{id}/logs', handler: logsRoute },
  { method: 'GET', path: '/containers/{id}/top', handler: top },
  { method: 'GET', path: '/containers/{id}/stats', handler: stats },
  { method: 'POST', path: '/containers/{id}/rename', handler: rename },
  { method: 'POST', path: '/containers/{id}/update', handler: update },
  { method: 'HEAD', path: '/containers/{id}/archive', handler: archiveHead },
  { method: 'GET', path: '/containers/{id}/archive', handler: archiveGet },
  { method: 'PUT', path: '/containers/{id}/archive', handler: archivePut },
  { method: 'DELETE', path: '/containers/{id}', handler: remove },
];
