// Exec routes of the Docker Engine API: POST /containers/{id}/exec (create), POST
// /exec/{id}/start (hijacked stream, or Detach), POST /exec/{id}/resize, GET /exec/{id}/json.
import { InvalidArgumentError } from '../../errors';
import type { Call } from '../call';
import type { Route } from '../router';
import { containerPart } from '../parts/containers';
import type { ExecConfig } from '../parts/exec';
import { execStart } from '../parts/streams';

async function create(call: Call): Promise<void> {
  const body = await call.json<ExecConfig>();
  const p = await containerPart(call.ctx);
  call.reply(201, p.execs.create(call.params.id, body));
}

async function start(call: Call): Promise<void> {
  await execStart(call, await containerPart(call.ctx));
}

async function resize(call: Call): Promise<void> {
  const rows = call.query.int('h');
  const cols = call.query.int('w');
  if (rows === undefined || cols === undefined || rows < 0 || cols < 0) throw new InvalidArgumentError('resize needs h and w as non-negative integers');
  (await containerPart(call.ctx)).execs.resize(call.params.id, { rows, cols });
  call.reply(200);
}

async function inspect(call: Call): Promise<unknown> {
  return (await containerPart(call.ctx)).execs.inspect(call.params.id);
}

export const execRoutes: Route[] = [
  { method: 'POST', path: '/containers/{id}/exec', handler: create },
  { method: 'POST', path: '/exec/{id}/start', handler: start },
  { method: 'POST', path: '/exec/{id}/resize', handler: resize },
  { method: 'GET', path: '/exec/{id}/json', handler: inspect },
];
