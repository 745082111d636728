// Image routes of the Docker Engine API (shapes from ../shared/specs/docker-engine-api.swagger.yaml)
// and Slipway's per-layer changes:
//   GET  /images/json                 GET /images/{name}/json       GET /images/{name}/history
//   POST /images/{name}/tag           DELETE /images/{name}         POST /images/prune
//   GET  /images/get, /images/{name}/get (save; ?format=oci is Slipway's)   POST /images/load
//   POST /images/create?fromSrc=-     (import; dispatched here by the registry's /images/create)
//   GET  /system/df                   GET /slipway/images/{id}/layers
//   POST /commit                      GET /containers/{id}/changes   GET /containers/{id}/export
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../../errors';
import { diskUsage, imageHistory, imageLayerChanges, importRootfs, loadArchive, pruneImages, saveImages, familiarName, parseReference, formatReference, type ArchiveFormat, type ImageRecord } from '../../image';
import type { Call } from '../call';
import type { Route } from '../router';
import { commitContainer, containerChanges, containerRecord, exportContainer } from '../parts/container-images';
import { containersByImage, imageStore } from '../parts/images';
import { buildCacheUsage, containerUsage, volumeRefCounts, volumeUsage } from '../parts/disk-usage';
import { ContainerStore } from '../../container/state';
import { VolumeStore } from '../../volumes';
import { Builder } from '../../build/executor';

const seconds = (iso?: string) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);
const display = (name: string) => familiarName(parseReference(name));

function repoDigests(image: ImageRecord): string[] {
  // Only pulled images have a registry digest; the manifest digest stands in for local ones.
  return image.names.map((n) => `${display(n).replace(/:[^:/]+$/, '')}@${image.manifestDigest}`);
}

export function listJson(image: ImageRecord, containers: number): Record<string, unknown> {
  return {
    Id: image.id, ParentId: '', RepoTags: image.names.map(display), RepoDigests: repoDigests(image),
    Created: seconds(image.config.created), Size: image.size, SharedSize: -1, VirtualSize: image.size,
    Labels: image.config.config?.Labels ?? null, Containers: containers,
  };
}

export function inspectJson(image: ImageRecord): Record<string, unknown> {
  const c = image.config;
  return {
    Id: image.id, RepoTags: image.names.map(display), RepoDigests: repoDigests(image), Parent: '',
    Comment: c.history?.at(-1)?.comment ?? '', Created: c.created ?? '', DockerVersion: '', Author: c.author ?? '',
    Config: c.config ?? {}, Architecture: c.architecture, Os: c.os, ...(c.variant ? { Variant: c.variant } : {}),
    Size: image.size, VirtualSize: image.size,
    GraphDriver: { Name: 'overlay2', Data: null },
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

async function list(call: Call): Promise<unknown> {
  const store = await imageStore(call.ctx);
  const used = await containersByImage(call.ctx);
  const filters = call.query.filters();
  const dangling = filters.get('dangling')[0];
  const refs = filters.get('reference');
  const images = (await store.list()).filter((i) => {
    if (refs.length > 0 && i.names.length === 0) return false;
    if (i.names.length === 0 && dangling === undefined) return true; // Docker lists dangling images by default
    if (dangling === 'true' && i.names.length > 0) return false;
    if (dangling === 'false' && i.names.length === 0) return false;
    if (refs.length > 0 && !i.names.some((n) => refs.some((r) => display(n) === r || display(n).startsWith(`${r}:`) || n === r))) return false;
    return true;
  });
  images.sort((a, b) => seconds(b.config.created) - seconds(a.config.created));
  return images.map((i) => listJson(i, used.get(i.id) ?? 0));
}

async function inspect(call: Call): Promise<unknown> {
  return inspectJson(await (await imageStore(call.ctx)).get(call.params.name));
}

async function history(call: Call): Promise<unknown> {
  const image = await (await imageStore(call.ctx)).get(call.params.name);
  return imageHistory(image).map((h, i) => ({
    Id: h.id, Created: seconds(h.created), CreatedBy: h.createdBy, Tags: i === 0 ? image.names.map(display) : null, Size: h.size, Comment: h.comment,
  }));
}

async function tag(call: Call): Promise<void> {
  const repo = call.query.string('repo');
  if (!repo) throw new InvalidArgumentError('repo is required');
  const target = `${repo}:${call.query.string('tag') || 'latest'}`;
  const store = await imageStore(call.ctx);
  await store.tag(call.params.name, target);
  call.ctx.events.publish({ Type: 'image', Action: 'tag', Actor: { ID: (await store.get(target)).id, Attributes: { name: display(formatReference(parseReference(target))) } } });
  call.reply(201);
}

async function remove(call: Call): Promise<unknown> {
  const store = await imageStore(call.ctx);
  const used = await containersByImage(call.ctx);
  const reports = await store.remove(call.params.name, { force: call.query.bool('force'), inUse: (id) => (used.get(id) ?? 0) > 0 });
  for (const r of reports) {
    if ('Deleted' in r) call.ctx.events.publish({ Type: 'image', Action: 'delete', Actor: { ID: r.Deleted, Attributes: {} } });
  }
  return reports;
}

async function prune(call: Call): Promise<unknown> {
  const store = await imageStore(call.ctx);
  const used = await containersByImage(call.ctx);
  const dangling = call.query.filters().get('dangling')[0];
  return pruneImages(store, { all: dangling === 'false', inUse: (id) => (used.get(id) ?? 0) > 0 });
}

async function save(call: Call): Promise<void> {
  const names = call.params.name ? [call.params.name] : call.query.all('names');
  if (names.length === 0) throw new InvalidArgumentError('names is required: the images to save');
  const format = (call.query.string('format') ?? 'docker') as ArchiveFormat;
  if (format !== 'docker' && format !== 'oci') throw new InvalidArgumentError(`format must be docker or oci, not ${format}`);
  const store = await imageStore(call.ctx);
  for (const n of names) await store.get(n); // 404 before any byte is sent
  // Chunked (the tar's size is not known in advance): a failure mid-archive cuts the body short.
  await saveImages(store, names, format, call.rawBody('application/x-tar'));
}

async function load(call: Call): Promise<void> {
  const store = await imageStore(call.ctx);
  const result = await loadArchive(store, call.body());
  for (const i of result.images) call.ctx.events.publish({ Type: 'image', Action: 'load', Actor: { ID: i.id, Attributes: {} } });
  if (call.query.bool('quiet')) return call.reply(200, { stream: result.messages.join('\n') + '\n' });
  const out = call.stream();
  for (const m of result.messages) out.write({ stream: `${m}\n` });
  out.end();
}

/** POST /images/create?fromSrc=-&repo=&tag=&changes=&message= : `docker import` of the body. */
export async function importImage(call: Call): Promise<void> {
  const q = call.query;
  if (q.string('fromSrc') !== '-') throw new InvalidArgumentError('only fromSrc=- (the request body) is supported for import');
  const repo = q.string('repo');
  const names = repo ? [`${repo}${q.string('tag') ? `:${q.string('tag')}` : repo.includes(':') && !repo.endsWith(']') && /:[^/]+$/.test(repo) ? '' : ':latest'}`] : [];
  const store = await imageStore(call.ctx);
  const { image } = await importRootfs(store, call.body(), { changes: q.all('changes'), message: q.string('message'), names, source: '-' });
  call.ctx.events.publish({ Type: 'image', Action: 'import', Actor: { ID: image.id, Attributes: {} } });
  const out = call.stream();
  out.write({ status: image.id });
  out.end();
}

const DF_TYPES = ['container', 'image', 'volume', 'build-cache'] as const;

/**
 * GET /system/df[?type=container&type=image&type=volume&type=build-cache]: what each kind
 * takes on disk; kinds not asked for are null, as Docker answers them.
 */
async function df(call: Call): Promise<unknown> {
  const asked = call.query.all('type');
  for (const t of asked) if (!(DF_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`type must be one of ${DF_TYPES.join(', ')}, not ${t}`);
  const wants = (t: (typeof DF_TYPES)[number]) => asked.length === 0 || asked.includes(t);
  const store = await imageStore(call.ctx);
  const containers = new ContainerStore(call.ctx.stateRoot);
  await containers.load();
  const records = containers.list();
  const used = new Map<string, number>();
  for (const r of records) used.set(r.imageId, (used.get(r.imageId) ?? 0) + 1);
  const images = await store.list();
  const byId = new Map(images.map((i) => [i.id, i]));
  const usage = wants('image') ? await diskUsage(store, (id) => used.get(id) ?? 0) : undefined;
  const refs = volumeRefCounts(records);
  return {
    LayersSize: usage?.totalSize ?? 0,
    Images: usage ? usage.images.map((u) => ({ ...listJson(byId.get(u.id)!, u.containers), SharedSize: u.sharedSize })) : null,
    Containers: wants('container') ? records.map((r) => containerUsage(r, byId.get(r.imageId)?.size ?? 0)) : null,
    Volumes: wants('volume') ? new VolumeStore(call.ctx.stateRoot).list().Volumes.map((v) => volumeUsage(v, refs.get(v.Name) ?? 0)) : null,
    BuildCache: wants('build-cache') ? buildCacheUsage(path.join(call.ctx.stateRoot, 'build-cache'), new Set(images.flatMap((i) => i.manifest.layers.map((l) => l.digest)))) : null,
  };
}

async function layers(call: Call): Promise<unknown> {
  return imageLayerChanges(await imageStore(call.ctx), call.params.id);
}

/** POST /commit?container=&repo=&tag=&comment=&author=&changes= (body: an optional config). */
async function commit(call: Call): Promise<void> {
  const q = call.query;
  const ref = q.string('container');
  if (!ref) throw new InvalidArgumentError('container is required');
  const rec = await containerRecord(call.ctx.stateRoot, ref);
  const repo = q.string('repo');
  const names = repo ? [`${repo}:${q.string('tag') || 'latest'}`] : [];
  const image = await commitContainer(await imageStore(call.ctx), rec, {
    names, changes: q.all('changes').flatMap((c) => c.split('\n')).filter((c) => c.trim() !== ''),
    message: q.string('comment') || undefined, author: q.string('author') || undefined,
    config: (await call.json<Record<string, unknown>>()) ?? undefined,
  });
  call.ctx.events.publish({ Type: 'container', Action: 'commit', Actor: { ID: rec.id, Attributes: { name: rec.name, image: image.id } } });
  call.reply(201, { Id: image.id });
}

async function changes(call: Call): Promise<unknown> {
  return containerChanges(await containerRecord(call.ctx.stateRoot, call.params.id));
}

async function exportFs(call: Call): Promise<void> {
  const rec = await containerRecord(call.ctx.stateRoot, call.params.id);
  const { LibcSyscalls } = await import('../../linux/libc.js');
  const tmp = Builder.tempRoot(call.ctx.stateRoot);
  fs.mkdirSync(tmp, { recursive: true });
  const { tar, done } = await exportContainer(rec, new LibcSyscalls(), tmp);
  try {
    // Chunked: an error mid-tar (the server then destroys the call) is a cut-short body that
    // the client reports, never a clean end of a truncated tar.
    await pipeline(tar, call.rawBody('application/x-tar'));
  } finally {
    done();
  }
}

export const imageRoutes: Route[] = [
  { method: 'GET', path: '/images/json', handler: list },
  { method: 'GET', path: '/images/get', handler: save },
  { method: 'POST', path: '/images/load', handler: load },
  { method: 'POST', path: '/images/prune', handler: prune },
  { method: 'GET', path: '/images/{name*}/json', handler: inspect },
  { method: 'GET', path: '/images/{name*}/history', handler: history },
  { method: 'GET', path: '/images/{name*}/get', handler: save },
  { method: 'POST', path: '/images/{name*}/tag', handler: tag },
  { method: 'DELETE', path: '/images/{name*}', handler: remove },
  { method: 'GET', path: '/system/df', handler: df },
  { method: 'GET', path: '/slipway/images/{id*}/layers', handler: layers },
  { method: 'POST', path: '/commit', handler: commit },
  { method: 'GET', path: '/containers/{id}/changes', handler: changes },
  { method: 'GET', path: '/containers/{id}/export', handler: exportFs },
];
