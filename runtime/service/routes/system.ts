// System routes of the Docker Engine API: /_ping, /version, /info, /events.
import { InvalidArgumentError } from '../../errors';
import { API_VERSION } from '../api-version';
import type { Call } from '../call';
import { eventFilter, parseEventTime, type DockerEvent } from '../events';
import type { Route } from '../router';
import { insecureFromEnv } from '../../registry/insecure';
import { hostFacts, infoBody, versionBody, type HostFacts } from '../system-info';

// Host facts do not change while the service runs; read them on first use.
let facts: HostFacts | undefined;
const host = () => (facts ??= hostFacts());

/** moby api/server/router/system/system_routes.go pingHandler: these headers, body "OK". */
function ping(call: Call): void {
  const headers = {
    'Api-Version': API_VERSION,
    'Builder-Version': '1',
    'Docker-Experimental': 'false',
    'Ostype': 'linux',
    'Swarm': 'inactive',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    'Pragma': 'no-cache',
    'Content-Type': 'text/plain; charset=utf-8',
  };
  call.send(200, call.method === 'HEAD' ? '' : 'OK', headers);
}

async function info(call: Call): Promise<unknown> {
  const { ctx } = call;
  const [containers, images] = await Promise.all([ctx.providers.containerCounts(), ctx.providers.imageCount()]);
  return { ...infoBody({ host: host(), stateRoot: ctx.stateRoot, containers, images, now: new Date(), insecureRegistries: insecureFromEnv(process.env) }), NEventsListener: ctx.events.subscribers };
}

/**
 * GET /events: replays buffered events from `since`, then streams live ones until `until`
 * (or until the client leaves or the service stops). An `until` in the past ends the stream
 * after the replay, as Docker does.
 */
async function events(call: Call): Promise<void> {
  const { query, ctx } = call;
  const accept = eventFilter(query.filters());
  const since = query.string('since');
  const until = query.string('until');
  const sinceNano = since ? parseEventTime('since', since) : undefined;
  const untilNano = until ? parseEventTime('until', until) : undefined;
  if (sinceNano !== undefined && untilNano !== undefined && untilNano < sinceNano) {
    throw new InvalidArgumentError(`since (${since}) must not be after until (${until})`);
  }
  const stream = call.stream();
  const inWindow = (e: DockerEvent) => (sinceNano === undefined || e.timeNano >= sinceNano) && (untilNano === undefined || e.timeNano <= untilNano);
  // Subscribe before replaying so an event published during the replay is neither lost nor doubled.
  const pending: DockerEvent[] = [];
  let replaying = true;
  const unsubscribe = ctx.events.subscribe((e) => {
    if (!inWindow(e) || !accept(e)) return;
    if (replaying) pending.push(e);
    else stream.write(e);
  });
  try {
    const replayed = sinceNano === undefined ? [] : ctx.events.history(sinceNano, untilNano).filter(accept);
    for (const e of replayed) stream.write(e);
    const last = replayed.at(-1)?.timeNano ?? -1;
    for (const e of pending) if (e.timeNano > last) stream.write(e);
    replaying = false;
    const wait = untilNano === undefined ? Infinity : untilNano / 1e6 - Date.now();
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(wait) ? setTimeout(resolve, Math.min(wait, 2 ** 31 - 1)) : undefined;
        stream.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  } finally {
    unsubscribe();
    stream.end();
  }
}

export const systemRoutes: Route[] = [
  { method: 'GET', path: '/_ping', handler: ping },
  { method: 'HEAD', path: '/_ping', handler: ping },
  { method: 'GET', path: '/version', handler: () => versionBody(host()) },
  { method: 'GET', path: '/info', handler: info },
  { method: 'GET', path: '/events', handler: events },
];
