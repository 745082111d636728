// slipway start: Start one or more stopped containers (docker start). As the docker CLI, each
// failure is printed when it happens and a last line names them all. With -a/-i it attaches
// to the one container first (the service lets an attach wait for the start), registers the
// wait, starts it and exits with its exit code, as `docker start -a` does.
import { parseArgs } from 'node:util';
import type { ApiClient } from '../../client';
import { InvalidArgumentError } from '../../errors';
import { connect } from '../api';
import type { CliContext, Command } from '../command';
import { containerActionCommand, followTerminalSize, needArgs, pumpStreams, registerWait } from './container-io';

const SUMMARY = 'Start one or more stopped containers';

const startEach = containerActionCommand('start', SUMMARY, {
  failedLine: (failed) => `Error: failed to start containers: ${failed.join(', ')}`,
});

interface StartInfo {
  Id: string;
  Config: { Tty: boolean; OpenStdin: boolean };
  HostConfig: { AutoRemove?: boolean };
  State: { Running: boolean };
}

async function startAttached(api: ApiClient, ctx: CliContext, ref: string, interactive: boolean): Promise<number> {
  const info = await api.get<StartInfo>(`/containers/${encodeURIComponent(ref)}/json`);
  const tty = info.Config.Tty;
  const stdin = interactive && info.Config.OpenStdin;
  const [socket, exited] = await Promise.all([
    api.hijack('POST', `/containers/${info.Id}/attach`, { query: { stream: 1, stdout: 1, stderr: 1, stdin: stdin ? 1 : undefined } }),
    registerWait(api, info.Id, info.HostConfig.AutoRemove ? 'removed' : 'next-exit'),
  ]);
  const streamed = pumpStreams(socket, ctx, { tty, stdin });
  try {
    // Already running: the docker CLI's start is a no-op (304) and it stays attached to this run.
    if (!info.State.Running) await api.post(`/containers/${info.Id}/start`);
  } catch (err) {
    socket.destroy();
    exited.result.catch(() => undefined);
    throw err;
  }
  const stopResize = tty ? followTerminalSize(api, `/containers/${info.Id}/resize`) : () => undefined;
  const status = await exited.result;
  await streamed;
  stopResize();
  return status.StatusCode;
}

export const startCommand: Command = {
  name: 'start',
  summary: SUMMARY,
  usage: [
    'Usage:  slipway start [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    SUMMARY,
    '',
    'Options:',
    '  -a, --attach        Attach STDOUT/STDERR',
    '  -i, --interactive   Attach container\'s STDIN',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { attach: { type: 'boolean', short: 'a' }, interactive: { type: 'boolean', short: 'i' } },
    });
    if (!values.attach && !values.interactive) return startEach.run(positionals, ctx);
    needArgs('start', positionals, 1, 'CONTAINER [CONTAINER...]');
    if (positionals.length > 1) throw new InvalidArgumentError('you cannot start and attach multiple containers at once');
    const api = await connect(ctx);
    try {
      return await startAttached(api, ctx, positionals[0], values.interactive === true);
    } finally {
      api.close();
    }
  },
};
