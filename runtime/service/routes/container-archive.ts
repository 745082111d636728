// `docker cp` routes of the Engine API: HEAD /containers/{id}/archive (the path's stat in the
// X-Docker-Container-Path-Stat header), GET (a tar of the path, the same header) and PUT (a tar
// extracted into a directory of the container). The container's root comes from
// parts/container-archive.ts (running: /proc/<pid>/root, frozen for the copy; stopped: an
// overlay of its layers), the path rules and the tar work from container/archive.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { archiveItems, extractInto, kernelMountDirs, statContainerPath } from '../../container/archive/archive';
import { archiveWriteRefusal, encodePathStat, PATH_STAT_HEADER, rebaseName, splitContainerPath } from '../../container/archive/path-stat';
import type { Cgroup } from '../../cgroups';
import type { ContainerRecord } from '../../container/state';
import { SlipwayError } from '../../errors';
import { tarStream } from '../../layer';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import type { Call } from '../call';
import { hasLiveRoot, withContainerRoot, type RootMode } from '../parts/container-archive';
import { containerPart } from '../parts/containers';

/**
 * Copies held per running container: it stays frozen while any is under way. dockerd pauses a
 * running container during `docker cp` for the same reason (CVE-2018-15664): paths are resolved
 * component by component from the host, and a process in the container that swaps a directory
 * for a symlink between the check and the use could otherwise send the copy to the host's files.
 */
const holds = new Map<string, number>();

async function frozenDuring<T>(cg: Cgroup, id: string, stillRunning: () => boolean, work: () => Promise<T>): Promise<T> {
  const held = holds.get(id) ?? 0;
  holds.set(id, held + 1);
  try {
    if (held === 0) await cg.freeze();
    return await work();
  } finally {
    const left = (holds.get(id) ?? 1) - 1;
    if (left > 0) holds.set(id, left);
    else {
      holds.delete(id);
      // A `pause` that came meanwhile keeps it frozen; an exit leaves nothing to thaw.
      if (stillRunning()) await cg.thaw();
    }
  }
}

async function onRoot<T>(call: Call, mode: RootMode, work: (root: string, rec: ContainerRecord) => Promise<T>): Promise<T> {
  const p = await containerPart(call.ctx);
  const rec = p.store.get(call.params.id);
  const { LibcSyscalls } = await import('../../linux/libc.js');
  const env = { sys: new LibcSyscalls(), tmpRoot: path.join(call.ctx.stateRoot, 'archive-tmp') };
  const run = () => withContainerRoot(rec, mode, env, (root) => work(root, rec));
  // A stopped container's overlay must not be mounted by a start meanwhile (and a start under
  // way is waited for, after which the container may be running: then its live root is used).
  if (!hasLiveRoot(rec) || rec.state.status !== 'running') {
    return p.manager.whileStopped(rec.id, async () => {
      const now = p.store.get(rec.id);
      if (!hasLiveRoot(now) || now.state.status !== 'running') return run();
      return frozenDuring(p.cgroups.open(now.id), now.id, () => p.store.find(now.id)?.state.status === 'running', () => withContainerRoot(now, mode, env, (root) => work(root, now)));
    });
  }
  const stillRunning = () => p.store.find(rec.id)?.state.status === 'running';
  return frozenDuring(p.cgroups.open(rec.id), rec.id, stillRunning, run);
}

function readMountinfo(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/mountinfo`, 'utf8');
  } catch {
    return '';
  }
}

function publish(call: Call, rec: ContainerRecord, action: string, file: string): void {
  call.ctx.events.publish({ Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...(rec.config.Labels ?? {}), image: rec.image, name: rec.name, path: file } } });
}

export async function archiveHead(call: Call): Promise<void> {
  await onRoot(call, 'read', async (root) => {
    const target = statContainerPath(root, call.query.string('path'), call.params.id);
    call.send(200, '', { [PATH_STAT_HEADER]: encodePathStat(target.stat) });
  });
}

export async function archiveGet(call: Call): Promise<void> {
  await onRoot(call, 'read', async (root, rec) => {
    const target = statContainerPath(root, call.query.string('path'), call.params.id);
    // A live root shows the container's own /proc, /sys and /dev: left empty, as dockerd's are.
    const skip = hasLiveRoot(rec) ? kernelMountDirs(root, readMountinfo(rec.state.pid)) : new Set<string>();
    const tar = tarStream(archiveItems(target, rebaseName(target.absPath), defaultSpecialFs(), skip));
    // Chunked (rawBody): a failure mid-tar is a cut-short body the client reports.
    await pipeline(tar, call.rawBody('application/x-tar', { [PATH_STAT_HEADER]: encodePathStat(target.stat) }));
    publish(call, rec, 'archive-path', target.absPath);
  });
}

export async function archivePut(call: Call): Promise<void> {
  // Answered once onRoot is done: a client that sees the 200 finds the container thawed again.
  const { rec, file } = await onRoot(call, 'write', async (root, rec) => {
    const file = call.query.string('path');
    // Swagger's 403 for PUT: a read-only volume, or a read-only rootfs outside any volume.
    const refusal = archiveWriteRefusal(splitContainerPath(file).absPath, rec.mounts, rec.hostConfig.ReadonlyRootfs === true);
    if (refusal) throw new SlipwayError(refusal, { status: 403 });
    await extractInto(root, file, call.params.id, call.body(), {
      noOverwriteDirNonDir: call.query.bool('noOverwriteDirNonDir'),
      copyUIDGID: call.query.bool('copyUIDGID'),
      user: rec.config.User,
      special: defaultSpecialFs(),
    });
    return { rec, file };
  });
  call.reply(200);
  publish(call, rec, 'extract-to-dir', file ?? '');
}
