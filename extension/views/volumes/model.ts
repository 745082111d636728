// GET /volumes → rows of the Volumes view.
import type { NodeView } from '../shared/node';

export interface VolumeSummary {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  CreatedAt?: string;
}

export interface VolumeNode extends NodeView {
  kind: 'volume';
  name: string;
}

/** Docker answers {Volumes: [...] | null, Warnings}. */
export function volumeNodes(body: { Volumes?: VolumeSummary[] | null } | undefined): VolumeNode[] {
  return (body?.Volumes ?? []).map((v) => ({
    kind: 'volume' as const,
    id: `volume:${v.Name}`,
    name: v.Name,
    label: v.Name,
    description: v.Driver ?? 'local',
    tooltip: [v.Name, v.Mountpoint, v.CreatedAt ? `created ${v.CreatedAt}` : ''].filter(Boolean).join('\n'),
    contextValue: 'volume',
    icon: { id: 'database' },
  })).sort((a, b) => a.name.localeCompare(b.name));
}
