// Start-up work of the service's parts, one line each — the companion of routes/index.ts.
// A part that must act when the service starts (re-adopt containers that survived a restart,
// sweep a store's temp files, set the /info counters in ctx.providers) adds its function
// here. Setups run in order after the state lock is taken and before the socket accepts
// requests; one that fails is logged and the service starts anyway, so a damaged part
// cannot take the whole API (and the way to inspect it) down with it.
import type { ServiceContext } from './context';
import { containersSetup } from './parts/containers';
import { imagesSetup } from './parts/images';

export type Setup = { name: string; run(ctx: ServiceContext): void | Promise<void> };

export const setups: Setup[] = [
  imagesSetup,
  containersSetup,
];

export async function runSetups(ctx: ServiceContext, list: readonly Setup[]): Promise<void> {
  for (const setup of list) {
    const started = Date.now();
    try {
      await setup.run(ctx);
      ctx.log.debug('setup done', { setup: setup.name, ms: Date.now() - started });
    } catch (err) {
      ctx.log.error('setup failed', { setup: setup.name, err });
    }
  }
}
