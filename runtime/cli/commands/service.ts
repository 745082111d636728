// slipway service start|stop|status: manage the runtime service process.
import { parseArgs } from 'node:util';
import { ApiClient, ensureService, stopService } from '../../client';
import { liveOwner } from '../../service/lock';
import { hasRootPrivileges, privilegesMessage } from '../../service/privileges';
import type { ServiceStatus } from '../../service/routes/slipway';
import { CliError, serviceLocation } from '../api';
import type { CliContext, Command } from '../command';
import { renderFormat } from '../format';

/** Exit code of `service status` when the service is not running (the LSB convention). */
export const EXIT_NOT_RUNNING = 3;

const usage = [
  'Usage:  slipway service COMMAND',
  '',
  'Manage the Slipway runtime service.',
  '',
  'Commands:',
  '  start    Start the service in the background (no-op when it is running)',
  '  stop     Stop the service gracefully (SIGTERM) and wait for it to exit',
  '  status   Print whether the service is running, its pid and socket',
  '           (exit code 0 when running, 3 when stopped)',
  '',
  'Options (status):',
  '  -f, --format string   Format output: "json", or a template such as {{.pid}}',
  '',
  'SLIPWAY_SOCKET and SLIPWAY_ROOT choose the socket and the state directory.',
].join('\n');

async function start(ctx: CliContext): Promise<number> {
  const loc = serviceLocation(ctx.env);
  const running = liveOwner(loc.stateRoot);
  const client = new ApiClient({ socketPath: loc.socketPath });
  const answers = await client.ping();
  client.close();
  if (answers) {
    ctx.stdout.write(`slipway service is already running${running ? ` (pid ${running.pid})` : ''} on ${loc.socketPath}\n`);
    return 0;
  }
  if (!hasRootPrivileges()) throw new CliError(privilegesMessage('starting the slipway service'));
  const result = await ensureService({ ...loc, env: ctx.env });
  const pid = result.pid ?? liveOwner(loc.stateRoot)?.pid;
  ctx.stdout.write(`slipway service ${result.started ? 'started' : 'is running'}${pid ? ` (pid ${pid})` : ''} on ${loc.socketPath}\n`);
  return 0;
}

async function stop(ctx: CliContext): Promise<number> {
  const loc = serviceLocation(ctx.env);
  const { stopped } = await stopService({ stateRoot: loc.stateRoot });
  ctx.stdout.write(stopped ? `slipway service stopped (pid ${stopped.pid})\n` : 'slipway service is not running\n');
  return 0;
}

async function status(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: 'string', short: 'f' } }, strict: true, allowPositionals: false });
  const loc = serviceLocation(ctx.env);
  const owner = liveOwner(loc.stateRoot);
  const client = new ApiClient({ socketPath: loc.socketPath, timeoutMs: 2_000 });
  let server: ServiceStatus | undefined;
  try {
    server = await client.get<ServiceStatus>('/slipway/status');
  } catch {
    server = undefined;
  } finally {
    client.close();
  }
  const state = {
    status: server ? 'running' : owner ? 'not answering' : 'stopped',
    pid: server?.pid ?? owner?.pid ?? null,
    socket: loc.socketPath,
    stateRoot: loc.stateRoot,
    version: server?.version ?? null,
    uptimeSeconds: server?.uptimeSeconds ?? null,
  };
  if (values.format !== undefined) {
    ctx.stdout.write(renderFormat(values.format, state) + '\n');
  } else {
    const lines = [`slipway service: ${state.status}`];
    if (state.pid !== null) lines.push(` PID:        ${state.pid}`);
    lines.push(` Socket:     ${state.socket}`, ` State dir:  ${state.stateRoot}`);
    if (server) lines.push(` Version:    ${server.version} (API ${server.apiVersion})`, ` Uptime:     ${server.uptimeSeconds}s`);
    ctx.stdout.write(lines.join('\n') + '\n');
  }
  return server ? 0 : EXIT_NOT_RUNNING;
}

export const serviceCommand: Command = {
  name: 'service',
  summary: 'Start, stop or inspect the runtime service',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'start': return start(ctx);
      case 'stop': return stop(ctx);
      case 'status': return status(rest, ctx);
      default:
        ctx.stderr.write(`${sub === undefined ? 'slipway service needs a command' : `unknown service command "${sub}"`}\n\n${usage}\n`);
        return 1;
    }
  },
};
