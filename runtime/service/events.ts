// The event bus behind GET /events. Parts publish Docker-shaped events; the bus stamps them
// with time/timeNano, keeps the last N in a ring (so `since` can replay them) and hands them
// to subscribers, each with its own filter. Filtering follows moby's daemon/events/filter.go.
import { InvalidArgumentError } from '../errors';
import { Filters } from './query';

export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'builder';

export interface EventInput {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
}

/** An event as Docker sends it, with the legacy `status/id/from` fields clients still read. */
export interface DockerEvent {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  status?: string;
  id?: string;
  from?: string;
}

export const EVENT_FILTERS = ['type', 'event', 'container', 'image', 'label', 'volume', 'network', 'daemon', 'scope'] as const;

export type Listener = (event: DockerEvent) => void;

export class EventBus {
  private readonly ring: DockerEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private lastNano = 0;

  constructor(private readonly capacity = 1024, private readonly clock: () => number = nowNano) {}

  /** Stamps, stores and delivers an event; returns it as delivered. */
  publish(input: EventInput): DockerEvent {
    // Strictly increasing timestamps keep `since`/`until` replays stable for equal clocks.
    // Nanoseconds since 1970 exceed 2^53, so "+1" can round back to the same double: step
    // up by the smallest increment that actually changes the value.
    let nano = this.clock();
    for (let step = 1; nano <= this.lastNano; step *= 2) nano = this.lastNano + step;
    this.lastNano = nano;
    const attributes = { ...(input.Actor.Attributes ?? {}) };
    const event: DockerEvent = {
      Type: input.Type,
      Action: input.Action,
      Actor: { ID: input.Actor.ID, Attributes: attributes },
      scope: 'local',
      time: Math.floor(nano / 1e9),
      timeNano: nano,
    };
    if (input.Type === 'container' || input.Type === 'image') {
      event.status = input.Action;
      event.id = input.Actor.ID;
      if (attributes.image) event.from = attributes.image;
    }
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
    return event;
  }

  /** Buffered events with since ≤ timeNano ≤ until (nanoseconds), oldest first. */
  history(sinceNano: number, untilNano = Infinity): DockerEvent[] {
    return this.ring.filter((e) => e.timeNano >= sinceNano && e.timeNano <= untilNano);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

function nowNano(): number {
  // Date.now() has millisecond resolution; add the sub-millisecond part of the monotonic clock.
  return Date.now() * 1e6 + Number(process.hrtime.bigint() % 1_000_000n);
}

/**
 * Docker's timestamps for since/until: "SECONDS[.NANOS]" (what the docker CLI sends after
 * turning durations and dates into it), or an RFC 3339 date. Returns nanoseconds.
 */
export function parseEventTime(name: string, value: string): number {
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value.trim());
  if (unix) return Number(unix[1]) * 1e9 + Number((unix[2] ?? '').padEnd(9, '0'));
  const ms = Date.parse(value);
  if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}/.test(value)) return ms * 1e6;
  throw new InvalidArgumentError(`invalid value for ${name}: "${value}" is not a unix timestamp or RFC 3339 date`);
}

/** Builds the predicate for an events `filters` parameter (unknown keys are a 400). */
export function eventFilter(filters: Filters): (event: DockerEvent) => boolean {
  filters.validate(EVENT_FILTERS);
  return (e) => {
    const attrs = e.Actor.Attributes;
    return filters.accepts('type', (t) => t === e.Type)
      && filters.accepts('event', (a) => a === e.Action || e.Action.split(':')[0] === a)
      && filters.accepts('scope', (s) => s === e.scope)
      && filters.accepts('container', (c) => e.Type === 'container' && (prefixOf(c, e.Actor.ID) || c === attrs.name))
      && filters.accepts('image', (i) => imageMatches(i, e))
      && filters.accepts('volume', (v) => e.Type === 'volume' && (v === e.Actor.ID || v === attrs.name))
      && filters.accepts('network', (n) => e.Type === 'network' && (prefixOf(n, e.Actor.ID) || n === attrs.name))
      && filters.accepts('daemon', (d) => e.Type === 'daemon' && (d === e.Actor.ID || d === attrs.name))
      && filters.accepts('label', (l) => labelMatches(l, attrs));
  };
}

function prefixOf(short: string, id: string): boolean {
  return short.length > 0 && id.startsWith(short);
}

/** "busybox" matches busybox:latest; container events match on their image, image events on themselves. */
function imageMatches(wanted: string, e: DockerEvent): boolean {
  const candidates = e.Type === 'container' ? [e.Actor.Attributes.image] : e.Type === 'image' ? [e.Actor.ID, e.Actor.Attributes.name] : [];
  return candidates.some((c) => c !== undefined && (c === wanted || stripTag(c) === stripTag(wanted) && !hasTag(wanted) || prefixOf(wanted, c.replace(/^sha256:/, '')) && /^[0-9a-f]{6,}$/.test(wanted)));
}

function hasTag(ref: string): boolean {
  return /:[^/]+$/.test(ref) || ref.includes('@');
}

function stripTag(ref: string): string {
  return ref.replace(/@.*$/, '').replace(/:[^/]+$/, '');
}

function labelMatches(filter: string, attrs: Record<string, string>): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return Object.hasOwn(attrs, filter);
  return attrs[filter.slice(0, eq)] === filter.slice(eq + 1);
}
