// GET /containers/json?all=1 → tree rows of the Containers view.
import { shortId, type NodeView } from '../shared/node';

/** The fields of Docker's ContainerSummary the view reads. */
export interface ContainerSummary {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Ports?: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type?: string }> | null;
}

export interface ContainerNode extends NodeView {
  kind: 'container';
  containerId: string;
  name: string;
  state: string;
}

const ICONS: Record<string, { id: string; color?: string }> = {
  running: { id: 'vm-running', color: 'charts.green' },
  paused: { id: 'debug-pause', color: 'charts.yellow' },
  restarting: { id: 'sync~spin', color: 'charts.yellow' },
  created: { id: 'vm-outline' },
  exited: { id: 'vm-outline', color: 'disabledForeground' },
  dead: { id: 'error', color: 'errorForeground' },
  removing: { id: 'trash' },
};

export function containerName(c: ContainerSummary): string {
  const name = c.Names?.[0];
  return name ? name.replace(/^\//, '') : shortId(c.Id);
}

function ports(c: ContainerSummary): string {
  return (c.Ports ?? []).filter((p) => p.PublicPort).map((p) => `${p.PublicPort}→${p.PrivatePort}/${p.Type ?? 'tcp'}`).join(', ');
}

export function containerNode(c: ContainerSummary): ContainerNode {
  const state = c.State ?? 'unknown';
  const name = containerName(c);
  const published = ports(c);
  // Menus tell running containers (stop, attach) from stopped ones (start, remove).
  const group = state === 'running' || state === 'restarting' ? 'running' : state === 'paused' ? 'paused' : 'stopped';
  return {
    kind: 'container',
    id: `container:${c.Id}`,
    containerId: c.Id,
    name,
    state,
    label: name,
    description: [c.Image, c.Status ?? state, published].filter(Boolean).join(' · '),
    tooltip: [`${name} (${shortId(c.Id)})`, `image: ${c.Image ?? '?'}`, c.Command ? `command: ${c.Command}` : '', `state: ${c.Status ?? state}`, published ? `ports: ${published}` : '']
      .filter(Boolean).join('\n'),
    contextValue: `container.${group}`,
    icon: ICONS[state] ?? { id: 'question' },
  };
}

/** Running first, then by name: what a user most often acts on comes first. */
export function containerNodes(list: ContainerSummary[]): ContainerNode[] {
  return list.map(containerNode).sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name));
}
