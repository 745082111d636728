// `slipway system df [-v]` output from GET /system/df, with the docker CLI's formulas
// (docker/cli cli/command/formatter/disk_usage.go): what counts as active, what is reclaimable,
// integer percentages, decimal sizes (units.HumanSize).
import { humanSize } from '../../common/format';
import { ago, commandText, table } from './table';

// Kept exported from here: tests and callers import it with the df renderer.
export { humanSize };

export interface DfImage { Id: string; RepoTags: string[] | null; Created: number; Size: number; SharedSize: number; Containers: number }
export interface DfContainer { Id: string; Names: string[]; Image: string; Command: string; Created: number; State: string; Status: string; SizeRw?: number; Mounts?: Array<{ Type: string; Name?: string }> }
export interface DfVolume { Name: string; UsageData?: { Size: number; RefCount: number } | null }
export interface DfBuildCache { ID: string; Type: string; Size: number; CreatedAt: string; LastUsedAt: string | null; UsageCount: number; InUse: boolean; Shared: boolean }
export interface Df { LayersSize: number; Images: DfImage[] | null; Containers: DfContainer[] | null; Volumes: DfVolume[] | null; BuildCache: DfBuildCache[] | null }

const withPercent = (reclaimable: number, total: number) => (total > 0 ? `${humanSize(reclaimable)} (${Math.floor((reclaimable * 100) / total)}%)` : humanSize(reclaimable));
const activeContainer = (c: DfContainer) => /running|paused|restarting/.test(c.State);
const volumeSize = (v: DfVolume) => (v.UsageData && v.UsageData.Size !== -1 ? v.UsageData.Size : 0);

/** The summary table: one row per kind, as `docker system df` prints it. */
export function renderDf(df: Df): string {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const imagesUsed = images.filter((i) => i.Containers > 0 && i.Size !== -1 && i.SharedSize !== -1).reduce((n, i) => n + i.Size - i.SharedSize, 0);
  const containersSize = containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const volumesSize = volumes.reduce((n, v) => n + volumeSize(v), 0);
  const cacheSize = cache.filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0);
  return table(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], [
    ['Images', String(images.length), String(images.filter((i) => i.Containers > 0).length), humanSize(df.LayersSize), withPercent(df.LayersSize - imagesUsed, df.LayersSize)],
    ['Containers', String(containers.length), String(containers.filter(activeContainer).length), humanSize(containersSize),
      withPercent(containers.filter((c) => !activeContainer(c)).reduce((n, c) => n + (c.SizeRw ?? 0), 0), containersSize)],
    ['Local Volumes', String(volumes.length), String(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length), humanSize(volumesSize),
      withPercent(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).reduce((n, v) => n + volumeSize(v), 0), volumesSize)],
    ['Build Cache', String(cache.length), String(cache.filter((b) => b.InUse).length), humanSize(cacheSize),
      humanSize(cacheSize - cache.filter((b) => b.InUse && !b.Shared).reduce((n, b) => n + b.Size, 0))],
  ]);
}

const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

/** `system df -v`: one table per kind. */
export function renderDfVerbose(df: Df, now = Date.now()): string {
  const images = (df.Images ?? []).flatMap((i) => (i.RepoTags?.length ? i.RepoTags : ['<none>:<none>']).map((t) => {
    const at = t.lastIndexOf(':');
    return [t.slice(0, at), t.slice(at + 1), i.Id.replace(/^sha256:/, '').slice(0, 12), ago(i.Created, now), humanSize(i.Size), humanSize(i.SharedSize), humanSize(i.Size - i.SharedSize), String(i.Containers)];
  }));
  const containers = (df.Containers ?? []).map((c) => [
    c.Id.slice(0, 12), c.Image, commandText(c.Command), String((c.Mounts ?? []).filter((m) => m.Type === 'volume').length),
    humanSize(c.SizeRw ?? 0), ago(c.Created, now), c.Status, c.Names.map((n) => n.replace(/^\//, '')).join(','),
  ]);
  const volumes = (df.Volumes ?? []).map((v) => [v.Name, String(v.UsageData?.RefCount ?? 0), humanSize(volumeSize(v))]);
  const cache = df.BuildCache ?? [];
  const cacheRows = cache.map((b) => [b.ID.slice(0, 12), b.Type, humanSize(b.Size), ago(seconds(b.CreatedAt), now), b.LastUsedAt ? ago(seconds(b.LastUsedAt), now) : '', String(b.UsageCount), String(b.Shared)]);
  return [
    'Images space usage:\n\n' + table(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'], images),
    'Containers space usage:\n\n' + table(['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'], containers),
    'Local Volumes space usage:\n\n' + table(['VOLUME NAME', 'LINKS', 'SIZE'], volumes),
    `Build cache usage: ${humanSize(cache.filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0))}\n\n` + table(['CACHE ID', 'CACHE TYPE', 'SIZE', 'CREATED', 'LAST USED', 'USAGE', 'SHARED'], cacheRows),
  ].join('\n');
}
