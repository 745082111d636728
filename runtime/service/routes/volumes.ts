// Volume routes of the Docker Engine API: list, create, inspect, remove, prune — over the
// volume store (runtime/volumes), which asks the container store which containers use a volume.
import type { CreateVolumeRequest } from '../../volumes';
import type { Call } from '../call';
import type { Route } from '../router';
import { containerPart } from '../parts/containers';

const volumes = async (call: Call) => (await containerPart(call.ctx)).volumes;

function filterMap(call: Call, allowed: readonly string[]): Record<string, string[]> {
  const f = call.query.filters().validate(allowed);
  return Object.fromEntries(f.keys().map((k) => [k, [...f.get(k)]]));
}

async function list(call: Call): Promise<unknown> {
  return (await volumes(call)).list(filterMap(call, ['dangling', 'driver', 'label', 'name']));
}

async function create(call: Call): Promise<void> {
  const body = (await call.json<CreateVolumeRequest>()) ?? {};
  const vol = (await volumes(call)).create(body);
  call.ctx.events.publish({ Type: 'volume', Action: 'create', Actor: { ID: vol.Name, Attributes: { driver: vol.Driver } } });
  call.reply(201, vol);
}

async function inspect(call: Call): Promise<unknown> {
  return (await volumes(call)).inspect(call.params.name);
}

async function remove(call: Call): Promise<void> {
  (await volumes(call)).remove(call.params.name, { force: call.query.bool('force') });
  call.ctx.events.publish({ Type: 'volume', Action: 'destroy', Actor: { ID: call.params.name, Attributes: { driver: 'local' } } });
}

async function prune(call: Call): Promise<unknown> {
  const result = (await volumes(call)).prune(filterMap(call, ['label', 'all']));
  for (const name of result.VolumesDeleted) call.ctx.events.publish({ Type: 'volume', Action: 'destroy', Actor: { ID: name, Attributes: { driver: 'local' } } });
  call.ctx.events.publish({ Type: 'volume', Action: 'prune', Actor: { ID: '', Attributes: { reclaimed: String(result.SpaceReclaimed) } } });
  return result;
}

export const volumeRoutes: Route[] = [
  { method: 'GET', path: '/volumes', handler: list },
  { method: 'POST', path: '/volumes/create', handler: create },
  { method: 'POST', path: '/volumes/prune', handler: prune },
  { method: 'GET', path: '/volumes/{name}', handler: inspect },
  { method: 'DELETE', path: '/volumes/{name}', handler: remove },
];
