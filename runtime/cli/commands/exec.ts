// slipway exec: run a command in a running container (docker exec: -i, -t with raw mode and
// resize, -d, -e, -u, -w, --privileged); exits with the command's exit code.
import { parseArgs } from 'node:util';
import { connect } from '../api';
import type { Command } from '../command';
import { followTerminalSize, needArgs, pumpStreams } from './container-io';

export const execCommand: Command = {
  name: 'exec',
  summary: 'Execute a command in a running container',
  helpBeforePositionalOnly: true,
  usage: [
    'Usage:  slipway exec [OPTIONS] CONTAINER COMMAND [ARG...]',
    '',
    'Execute a command in a running container',
    '',
    'Options:',
    '  -d, --detach          Detached mode: run command in the background',
    '  -e, --env list        Set environment variables',
    '  -i, --interactive     Keep STDIN open even if not attached',
    '      --privileged      Give extended privileges to the command',
    '  -t, --tty             Allocate a pseudo-TTY',
    '  -u, --user string     Username or UID (format: "<name|uid>[:<group|gid>]")',
    '  -w, --workdir string  Working directory inside the container',
  ].join('\n'),
  async run(args, ctx) {
    // Options end at the container name: what follows belongs to the command.
    const first = args.findIndex((a, i) => !a.startsWith('-') && !['-e', '--env', '-u', '--user', '-w', '--workdir'].includes(args[i - 1] ?? ''));
    const { values } = parseArgs({
      args: first < 0 ? args : args.slice(0, first), strict: true, allowPositionals: false,
      options: {
        detach: { type: 'boolean', short: 'd' }, env: { type: 'string', short: 'e', multiple: true }, interactive: { type: 'boolean', short: 'i' },
        privileged: { type: 'boolean' }, tty: { type: 'boolean', short: 't' }, user: { type: 'string', short: 'u' }, workdir: { type: 'string', short: 'w' },
      },
    });
    const positionals = first < 0 ? [] : args.slice(first);
    needArgs('exec', positionals, 2, 'CONTAINER COMMAND [ARG...]');
    const [ref, ...cmd] = positionals;
    const tty = values.tty ?? false;
    const stdin = (values.interactive ?? false) && !values.detach;
    const api = await connect(ctx);
    try {
      const { Id } = await api.post<{ Id: string }>(`/containers/${encodeURIComponent(ref)}/exec`, {
        Cmd: cmd, Tty: tty, AttachStdin: stdin, AttachStdout: !values.detach, AttachStderr: !values.detach,
        Env: values.env ?? [], User: values.user ?? '', WorkingDir: values.workdir ?? '', Privileged: values.privileged ?? false,
        ConsoleSize: tty && process.stdout.isTTY ? [process.stdout.rows, process.stdout.columns] : null,
      });
      if (values.detach) {
        await api.post(`/exec/${Id}/start`, { Detach: true, Tty: tty });
        return 0;
      }
      const socket = await api.hijack('POST', `/exec/${Id}/start`, { body: { Detach: false, Tty: tty } });
      const streamed = pumpStreams(socket, ctx, { tty, stdin });
      const stopResize = tty ? followTerminalSize(api, `/exec/${Id}/resize`) : () => undefined;
      await streamed;
      stopResize();
      const info = await api.get<{ ExitCode: number | null }>(`/exec/${Id}/json`);
      return info.ExitCode ?? 0;
    } finally {
      api.close();
    }
  },
};
