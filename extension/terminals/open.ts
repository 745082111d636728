// Terminals on containers: attach (the container's own stdio), exec (a new process, e.g. a
// shell) and logs (followed, read-only). Each opens a StreamTerminal over the service's API.
import type { Socket } from 'node:net';
import * as vscode from 'vscode';
import type { ApiClient } from '../../runtime/client';
import type { Services } from '../services';
import { StreamTerminal, type TerminalStream } from './streamTerminal';

interface ContainerInspect {
  Id: string;
  Name?: string;
  Config?: { Tty?: boolean; OpenStdin?: boolean };
  State?: { Running?: boolean; ExitCode?: number };
}

const size = (d: vscode.TerminalDimensions) => ({ h: d.rows, w: d.columns });

function socketStream(socket: Socket): TerminalStream {
  // end() half-closes: the service sees stdin closed and drops the attachment; destroy() makes
  // sure nothing stays open if it does not answer.
  return { output: socket, input: socket, close: () => { socket.end(); setTimeout(() => socket.destroy(), 1000).unref(); } };
}

function show(name: string, pty: StreamTerminal): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('vm') });
  terminal.show();
  return terminal;
}

export async function inspectContainer(client: ApiClient, id: string): Promise<ContainerInspect> {
  return client.get<ContainerInspect>(`/containers/${encodeURIComponent(id)}/json`);
}

/**
 * Attaches to the container's main process (stdin too when it was created with -i).
 * `afterAttach` runs once the stream is open: `run` starts the container there, so no early
 * output is lost.
 */
export async function openAttachTerminal(services: Services, containerId: string, afterAttach?: () => Promise<void>): Promise<vscode.Terminal> {
  const client = services.client();
  const info = await inspectContainer(client, containerId);
  const tty = info.Config?.Tty === true;
  const id = encodeURIComponent(info.Id);
  const name = (info.Name ?? containerId).replace(/^\//, '');
  return show(`attach: ${name}`, new StreamTerminal({
    tty,
    async connect(dims) {
      const socket = await client.hijack('POST', `/containers/${id}/attach`, { query: { stream: 1, stdin: info.Config?.OpenStdin ? 1 : 0, stdout: 1, stderr: 1 } });
      try {
        await afterAttach?.();
      } catch (err) {
        socket.destroy();
        throw err;
      }
      if (tty && dims) await client.post(`/containers/${id}/resize`, undefined, { query: size(dims) }).catch(() => undefined);
      return socketStream(socket);
    },
    resize: async (dims) => { await client.post(`/containers/${id}/resize`, undefined, { query: size(dims) }); },
    exitCode: async () => (await client.post<{ StatusCode?: number }>(`/containers/${id}/wait`, undefined, { timeoutMs: 10_000 }))?.StatusCode,
  }));
}

/** Runs `cmd` in the running container with a TTY (docker exec -it). */
export async function openExecTerminal(services: Services, containerId: string, cmd: string[]): Promise<vscode.Terminal> {
  const client = services.client();
  const info = await inspectContainer(client, containerId);
  const name = (info.Name ?? containerId).replace(/^\//, '');
  let execId = '';
  return show(`${cmd[0]}: ${name}`, new StreamTerminal({
    tty: true,
    async connect(dims) {
      const created = await client.post<{ Id: string }>(`/containers/${encodeURIComponent(info.Id)}/exec`, {
        AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Cmd: cmd,
        ...(dims ? { ConsoleSize: [dims.rows, dims.columns] } : {}),
      });
      execId = encodeURIComponent(created.Id);
      const socket = await client.hijack('POST', `/exec/${execId}/start`, { body: { Detach: false, Tty: true } });
      return socketStream(socket);
    },
    resize: async (dims) => { if (execId) await client.post(`/exec/${execId}/resize`, undefined, { query: size(dims) }); },
    exitCode: async () => (await client.get<{ ExitCode?: number | null }>(`/exec/${execId}/json`))?.ExitCode ?? undefined,
  }));
}

/** Follows the container's log in a read-only terminal (colours and \r progress bars survive). */
export async function openLogsTerminal(services: Services, containerId: string): Promise<vscode.Terminal> {
  const client = services.client();
  const info = await inspectContainer(client, containerId);
  const name = (info.Name ?? containerId).replace(/^\//, '');
  return show(`logs: ${name}`, new StreamTerminal({
    tty: info.Config?.Tty === true,
    async connect() {
      const ac = new AbortController();
      const res = await client.request('GET', `/containers/${encodeURIComponent(info.Id)}/logs`, {
        query: { follow: 1, stdout: 1, stderr: 1, tail: 1000 }, timeoutMs: 0, signal: ac.signal,
      });
      res.on('error', () => undefined); // aborting on close is how the stream ends
      return { output: res, close: () => ac.abort() };
    },
    endMessage: 'end of the log: the container stopped',
  }));
}
