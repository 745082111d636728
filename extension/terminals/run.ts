// `run` from the editor: pick which EXPOSEd ports to publish, create the container with a TTY
// and stdin, attach a terminal, and start it once the terminal is attached.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { Services } from '../services';
import { openAttachTerminal } from './open';
import { exposedPorts, portBindings, type PortChoice } from './ports';

interface ImageInspect {
  Id: string;
  Config?: { ExposedPorts?: Record<string, unknown> | null };
}

/** Asks which ports to publish; undefined when the user cancelled. */
async function choosePorts(ports: PortChoice[]): Promise<PortChoice[] | undefined> {
  if (ports.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    ports.map((p) => ({ label: `${p.containerPort}/${p.protocol}`, description: `host port ${p.containerPort}`, picked: true, port: p })),
    { canPickMany: true, title: 'Publish which exposed ports?', placeHolder: 'each on the same host port' },
  );
  return picked?.map((p) => p.port);
}

/** Creates, attaches and starts a container from `image`; resolves with its id, or undefined if cancelled. */
export async function runInTerminal(services: Services, image: string): Promise<string | undefined> {
  const client = services.client();
  const info = await client.get<ImageInspect>(`/images/${encodeURIComponent(image)}/json`);
  const chosen = await choosePorts(exposedPorts(info.Config));
  if (!chosen) return undefined;
  const { ExposedPorts, PortBindings } = portBindings(chosen);
  const created = await client.post<{ Id: string; Warnings?: string[] }>('/containers/create', {
    Image: image,
    Tty: true,
    OpenStdin: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    ExposedPorts,
    HostConfig: { PortBindings },
  });
  for (const w of created.Warnings ?? []) services.output.warn(`run ${image}: ${w}`);
  await openAttachTerminal(services, created.Id, async () => {
    try {
      await client.post(`/containers/${encodeURIComponent(created.Id)}/start`);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot start the container from ${image}: ${describe(err)}`);
      throw err;
    }
  });
  return created.Id;
}
