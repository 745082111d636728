// slipway attach: this terminal to a running container's stdio (docker attach).
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../../errors';
import { connect } from '../api';
import type { Command } from '../command';
import { followTerminalSize, needArgs, pumpStreams } from './container-io';

export const attachCommand: Command = {
  name: 'attach',
  summary: 'Attach local standard input, output, and error streams to a running container',
  usage: [
    'Usage:  slipway attach [OPTIONS] CONTAINER',
    '',
    'Attach local standard input, output, and error streams to a running container',
    '',
    'Options:',
    '      --no-stdin   Do not attach STDIN',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { 'no-stdin': { type: 'boolean' } }, strict: true, allowPositionals: true });
    needArgs('attach', positionals, 1, 'CONTAINER');
    const ref = encodeURIComponent(positionals[0]);
    const api = await connect(ctx);
    try {
      const info = await api.get<{ Id: string; Config: { Tty: boolean; OpenStdin: boolean }; State: { Running: boolean; Paused: boolean; Restarting: boolean } }>(`/containers/${ref}/json`);
      // The docker CLI's own checks (the daemon lets `start -a` attach to a stopped container).
      if (!info.State.Running) throw new InvalidArgumentError('You cannot attach to a stopped container, start it first');
      if (info.State.Paused) throw new InvalidArgumentError('You cannot attach to a paused container, unpause it first');
      if (info.State.Restarting) throw new InvalidArgumentError('You cannot attach to a restarting container, wait until it is running');
      const stdin = info.Config.OpenStdin && !values['no-stdin'];
      const socket = await api.hijack('POST', `/containers/${info.Id}/attach`, { query: { stream: 1, stdout: 1, stderr: 1, stdin: stdin ? 1 : undefined } });
      const stopResize = info.Config.Tty ? followTerminalSize(api, `/containers/${info.Id}/resize`) : () => undefined;
      await pumpStreams(socket, ctx, { tty: info.Config.Tty, stdin });
      stopResize();
      const state = await api.get<{ State: { ExitCode: number; Running: boolean } }>(`/containers/${info.Id}/json`).catch(() => undefined);
      return state && !state.State.Running ? state.State.ExitCode : 0;
    } finally {
      api.close();
    }
  },
};
