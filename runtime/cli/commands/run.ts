// slipway run: create, attach, start and wait, as `docker run` does — without -d the output is
// streamed (a TTY with -t, raw mode and resize in the user's terminal) and the exit code is
// the container's; errors of the service before the container runs exit 125, as docker's.
import { describe } from '../../errors';
import type { ApiClient } from '../../client';
import { connect } from '../api';
import type { CliContext, Command } from '../command';
import { parseRunArgs, toCreateRequest } from './container-flags';
import { followTerminalSize, pumpStreams, registerWait } from './container-io';
import { errorText } from '../dispatch';

const EXIT_DAEMON = 125;

export const RUN_USAGE = [
  'Usage:  slipway run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  '',
  'Create and run a new container from an image',
  '',
  'Options:',
  '  -d, --detach             Run container in background and print container ID',
  '      --rm                 Automatically remove the container when it exits',
  '  -i, --interactive        Keep STDIN open even if not attached',
  '  -t, --tty                Allocate a pseudo-TTY',
  '      --name string        Assign a name to the container',
  '  -e, --env list           Set environment variables',
  '      --env-file list      Read in a file of environment variables',
  '  -p, --publish list       Publish a container\'s port(s) to the host',
  '  -v, --volume list        Bind mount a volume',
  '  -w, --workdir string     Working directory inside the container',
  '  -u, --user string        Username or UID (format: <name|uid>[:<group|gid>])',
  '      --group-add list     Add additional groups to join',
  '      --entrypoint string  Overwrite the default ENTRYPOINT of the image',
  '  -m, --memory bytes       Memory limit',
  '      --cpus decimal       Number of CPUs',
  '      --pids-limit int     Tune container pids limit',
  '      --network string     none, host or container:<name|id>',
  '      --restart string     Restart policy (no, always, unless-stopped, on-failure[:max])',
  '  (also: --hostname --tmpfs --memory-swap --cpu-shares --cpu-quota --cpu-period --cap-add',
  '   --cap-drop --privileged --read-only --init --label --stop-signal --stop-timeout --ulimit',
  '   --security-opt --shm-size --expose --health-cmd --health-interval --health-timeout',
  '   --health-retries --health-start-period --health-start-interval --no-healthcheck)',
].join('\n');

/** Creates the container; prints docker's "Unable to find image" first for a missing one. */
export async function createContainer(api: ApiClient, ctx: CliContext, args: string[], opts: { consoleSize?: boolean } = {}): Promise<{ id: string; body: ReturnType<typeof toCreateRequest>['body'] }> {
  const { body, name } = toCreateRequest(parseRunArgs(args), ctx.env);
  // docker run -t sends the terminal's size with the create, so the container's PTY has it
  // from its first byte (the resize after the start comes too late for `stty size`).
  if (opts.consoleSize && body.Tty && process.stdout.isTTY) body.HostConfig = { ...body.HostConfig, ConsoleSize: [process.stdout.rows, process.stdout.columns] };
  try {
    const res = await api.post<{ Id: string; Warnings?: string[] }>('/containers/create', body, { query: { name } });
    for (const w of res.Warnings ?? []) ctx.stderr.write(`WARNING: ${w}\n`);
    return { id: res.Id, body };
  } catch (err) {
    if (/^No such image/.test((err as Error).message)) ctx.stderr.write(`Unable to find image '${body.Image}' locally\n`);
    throw err;
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Create and run a new container from an image',
  helpBeforePositionalOnly: true,
  usage: RUN_USAGE,
  async run(args, ctx) {
    const api = await connect(ctx);
    try {
      let created;
      try {
        created = await createContainer(api, ctx, args, { consoleSize: true });
      } catch (err) {
        ctx.stderr.write(`slipway: ${errorText(err)}\nRun 'slipway run --help' for more information\n`);
        return EXIT_DAEMON;
      }
      const { id, body } = created;
      const detach = !body.AttachStdout;
      if (detach) {
        try {
          await api.post(`/containers/${id}/start`);
        } catch (err) {
          // docker run -d: a failed start (a host port in use…) is the daemon's error, exit 125.
          ctx.stderr.write(`slipway: ${errorText(err)}\n`);
          return EXIT_DAEMON;
        }
        ctx.stdout.write(`${id}\n`);
        return 0;
      }
      const tty = body.Tty ?? false;
      const stdin = body.AttachStdin ?? false;
      // Both must be in place before the start (no output lost, the exit not missed); they
      // need not wait for each other.
      const [socket, exited] = await Promise.all([
        api.hijack('POST', `/containers/${id}/attach`, { query: { stream: 1, stdout: 1, stderr: 1, stdin: stdin ? 1 : undefined } }),
        registerWait(api, id, body.HostConfig?.AutoRemove ? 'removed' : 'next-exit'),
      ]);
      const streamed = pumpStreams(socket, ctx, { tty, stdin });
      try {
        await api.post(`/containers/${id}/start`);
      } catch (err) {
        socket.destroy();
        // The wait ends with the connection (api.close below); nobody reads it any more.
        exited.result.catch(() => undefined);
        ctx.stderr.write(`slipway: ${errorText(err)}\n`);
        // The container stays "created" (a --rm one is removed): the wait would never end.
        if (body.HostConfig?.AutoRemove) await api.request('DELETE', `/containers/${id}`, { query: { force: 1 } }).then((r) => r.resume(), () => undefined);
        return /not found|no such file/i.test(describe(err)) ? 127 : /permission denied/i.test(describe(err)) ? 126 : EXIT_DAEMON;
      }
      const stopResize = tty ? followTerminalSize(api, `/containers/${id}/resize`) : () => undefined;
      const status = await exited.result;
      await streamed;
      stopResize();
      if (status.Error?.Message) ctx.stderr.write(`slipway: ${status.Error.Message}\n`);
      return status.StatusCode;
    } finally {
      api.close();
    }
  },
};
