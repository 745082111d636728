// Runs a build through POST /slipway/build, feeding every event to the preview panel, and
// returns how it ended. The Docker API's /build is not used: Slipway's stream carries the
// steps, ranges and per-layer data the preview shows.
import path from 'node:path';
import type { BuildEvent } from '../../runtime/build/events';
import { describe } from '../../runtime/errors';
import { isBuildEvent } from '../../webview/layers/protocol';
import type { Services } from '../services';
import { buildQuery, type BuildOutcome, type BuildRequest } from './buildRequest';
import { fetchImageLayers, type LayersPanel } from './panel';

export type { BuildOutcome, BuildRequest } from './buildRequest';
export { defaultTag, validateTag } from './buildRequest';

export async function runBuild(services: Services, panel: LayersPanel | undefined, req: BuildRequest, signal?: AbortSignal, onEvent?: (e: BuildEvent) => void): Promise<BuildOutcome> {
  let end: BuildOutcome | undefined;
  try {
    const events = services.client().stream<unknown>('POST', '/slipway/build', { query: buildQuery(req), body: { context: req.contextDir }, signal });
    for await (const e of events) {
      if (!isBuildEvent(e)) {
        services.output.warn(`build stream: ignored an event the preview does not know: ${JSON.stringify(e).slice(0, 120)}`);
        continue;
      }
      panel?.buildEvent(e);
      onEvent?.(e);
      if (e.type === 'build-end') end = { ok: true, imageId: e.imageId, tags: e.tags, durationMs: e.durationMs };
      if (e.type === 'build-error') {
        const file = e.file ? (path.isAbsolute(e.file) ? e.file : path.join(req.contextDir, e.file)) : req.dockerfile;
        end = { ok: false, message: e.message, dockerfile: file, range: e.range };
      }
    }
  } catch (err) {
    if (signal?.aborted) return { ok: false, message: 'the build was cancelled', dockerfile: req.dockerfile, cancelled: true };
    return { ok: false, message: describe(err), dockerfile: req.dockerfile };
  }
  if (signal?.aborted) return { ok: false, message: 'the build was cancelled', dockerfile: req.dockerfile, cancelled: true };
  if (!end) return { ok: false, message: 'the build stream ended without a result', dockerfile: req.dockerfile };
  if (end.ok && panel) {
    // Change lists of long layers are left out of the stream: fetch them all once.
    const imageId = end.imageId;
    fetchImageLayers(services, imageId).then((layers) => panel.imageLayers(imageId, layers),
      (err) => services.output.warn(`layers of ${imageId}: ${describe(err)}`));
  }
  return end;
}
