import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, eventFilter, parseEventTime, type EventInput } from '../../../runtime/service/events';
import { Filters } from '../../../runtime/service/query';

const web: EventInput = { Type: 'container', Action: 'start', Actor: { ID: 'abc123def456', Attributes: { name: 'web', image: 'busybox:latest', 'com.example.tier': 'front' } } };
const execStart: EventInput = { Type: 'container', Action: 'exec_start: sh -c ls', Actor: { ID: 'abc123def456', Attributes: { name: 'web', image: 'busybox:latest' } } };
const pulled: EventInput = { Type: 'image', Action: 'pull', Actor: { ID: 'busybox:latest', Attributes: { name: 'busybox' } } };
const volume: EventInput = { Type: 'volume', Action: 'create', Actor: { ID: 'data', Attributes: { driver: 'local' } } };

// [filters JSON, event, expected]
const cases: Array<[string, EventInput, boolean]> = [
  ['{}', web, true],
  ['{"type":["container"]}', web, true],
  ['{"type":["image"]}', web, false],
  ['{"type":["image","container"]}', web, true],
  ['{"event":["start"]}', web, true],
  ['{"event":["die"]}', web, false],
  ['{"event":["exec_start"]}', execStart, true],
  ['{"container":["web"]}', web, true],
  ['{"container":["abc123"]}', web, true],
  ['{"container":["other"]}', web, false],
  ['{"container":["web"]}', pulled, false],
  ['{"image":["busybox"]}', web, true],
  ['{"image":["busybox:latest"]}', web, true],
  ['{"image":["busybox:1.36"]}', web, false],
  ['{"image":["busybox"]}', pulled, true],
  ['{"image":["alpine"]}', pulled, false],
  ['{"label":["com.example.tier"]}', web, true],
  ['{"label":["com.example.tier=front"]}', web, true],
  ['{"label":["com.example.tier=back"]}', web, false],
  ['{"label":["other"]}', web, false],
  ['{"volume":["data"]}', volume, true],
  ['{"volume":["data"]}', web, false],
  ['{"type":["container"],"event":["start"],"container":["web"]}', web, true],
  ['{"type":["container"],"event":["stop"],"container":["web"]}', web, false],
];
for (const [json, input, expected] of cases) {
  test(`filter ${json} on ${input.Type} ${input.Action} → ${expected}`, () => {
    const bus = new EventBus();
    const event = bus.publish(input);
    assert.equal(eventFilter(Filters.parse(json))(event), expected);
  });
}

test('unknown filter keys are a 400', () => {
  assert.throws(() => eventFilter(Filters.parse('{"colour":["red"]}')), /invalid filter 'colour'/);
});

test('publish stamps time/timeNano, legacy fields, strictly increasing timestamps', () => {
  const bus = new EventBus(10, () => 1_700_000_000_123_456_000);
  const a = bus.publish(web);
  const b = bus.publish(pulled);
  const v = bus.publish(volume);
  assert.equal(a.time, 1_700_000_000);
  assert.equal(a.scope, 'local');
  assert.ok(b.timeNano > a.timeNano);
  assert.deepEqual([a.status, a.id, a.from], ['start', 'abc123def456', 'busybox:latest']);
  assert.equal(v.status, undefined); // only container and image events carry the legacy fields
});

test('subscribers get events until they unsubscribe; a throwing one does not stop others', () => {
  const bus = new EventBus();
  const seen: string[] = [];
  bus.subscribe(() => { throw new Error('broken'); });
  const off = bus.subscribe((e) => seen.push(e.Action));
  bus.publish(web);
  off();
  bus.publish(pulled);
  assert.deepEqual(seen, ['start']);
  assert.equal(bus.subscribers, 1);
});

test('the ring keeps the newest events and history honours since/until', () => {
  let t = 0;
  const bus = new EventBus(3, () => (t += 1_000));
  for (const action of ['a', 'b', 'c', 'd', 'e']) bus.publish({ ...web, Action: action });
  assert.deepEqual(bus.history(0).map((e) => e.Action), ['c', 'd', 'e']);
  assert.deepEqual(bus.history(4_000).map((e) => e.Action), ['d', 'e']);
  assert.deepEqual(bus.history(0, 4_000).map((e) => e.Action), ['c', 'd']);
});

const times: Array<[string, number | RegExp]> = [
  ['1700000000', 1_700_000_000e9],
  ['1700000000.5', 1_700_000_000e9 + 500_000_000],
  ['1700000000.000000001', 1_700_000_000e9 + 1],
  ['2023-11-14T22:13:20Z', 1_700_000_000e9],
  ['yesterday', /invalid value for since: "yesterday"/],
  ['10m', /invalid value for since/],
];
for (const [value, expected] of times) {
  test(`parseEventTime ${value}`, () => {
    if (typeof expected === 'number') assert.equal(parseEventTime('since', value), expected);
    else assert.throws(() => parseEventTime('since', value), expected);
  });
}
