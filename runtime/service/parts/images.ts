// The service's image side: the store (opened once, shared with the registry routes and the
// containers), the builder (lazy: it loads koffi for its overlay mounts), and the start-up
// work — sweeping what a killed build left (mounts first) and the /info image count.
import fs from 'node:fs';
import { Builder } from '../../build/executor';
import { sweepBuildDirs } from '../../build/executor/mounts';
import { ContainerStore } from '../../container/state';
import { describe } from '../../errors';
import type { ImageRecord, ImageStore } from '../../image/store';
import { parseReference } from '../../image/reference';
import { pullImage } from '../../registry/pull';
import { RegistrySession } from '../../registry/session';
import type { ServiceContext } from '../context';
import { imageStore } from '../routes/registry';
import type { Setup } from '../setup';

export { imageStore };

export function builderPart(ctx: ServiceContext): Promise<Builder> {
  return ctx.lazy('builder', async () => {
    const { LibcSyscalls } = await import('../../linux/libc.js');
    const store = await imageStore(ctx);
    return new Builder({
      store, stateRoot: ctx.stateRoot, sys: new LibcSyscalls(),
      pull: (ref, signal) => pullForBuild(store, ref, signal),
    });
  });
}

/** FROM an image that is not here: pull it anonymously (the registry issue's pull). */
async function pullForBuild(store: ImageStore, ref: string, signal?: AbortSignal): Promise<ImageRecord> {
  const session = new RegistrySession({});
  try {
    const result = await pullImage(store, parseReference(ref), { session, signal });
    return store.get(result.id);
  } finally {
    await session.close();
  }
}

/**
 * Which image IDs containers use (rmi refuses those unless forced; system df counts them),
 * read from the container records on disk so the images part never starts the container part.
 */
export async function containersByImage(ctx: ServiceContext): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const store = new ContainerStore(ctx.stateRoot);
  await store.load();
  for (const rec of store.list()) counts.set(rec.imageId, (counts.get(rec.imageId) ?? 0) + 1);
  return counts;
}

export const imagesSetup: Setup = {
  name: 'images',
  async run(ctx) {
    ctx.providers.imageCount = async () => (await imageStore(ctx)).list().then((l) => l.length);
    const tmp = Builder.tempRoot(ctx.stateRoot);
    if (fs.existsSync(tmp) && fs.readdirSync(tmp).length > 0) {
      const { LibcSyscalls } = await import('../../linux/libc.js');
      try {
        sweepBuildDirs(new LibcSyscalls(), tmp);
      } catch (err) {
        ctx.log.warn('cannot sweep the temp dirs of interrupted builds', { dir: tmp, error: describe(err) });
      }
    }
  },
};
