// GET /images/json → rows of the Images view; GET /slipway/images/{id}/layers → its children.
import { ago, shortId, size, type NodeView } from '../shared/node';

/** The fields of Docker's ImageSummary the view reads. */
export interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: number;
  Size?: number;
}

export interface ImageNode extends NodeView {
  kind: 'image';
  imageId: string;
  /** The reference to run or remove: the tag, or the id for an untagged image. */
  ref: string;
}

export interface LayerNode extends NodeView {
  kind: 'layer';
  imageId: string;
  diffID: string;
  index: number;
}

/** A layer of /slipway/images/{id}/layers as far as the tree needs it. */
export interface LayerInfo {
  diffID: string;
  size: number;
  createdBy?: string;
  changes?: unknown[];
}

/** One row per tag (an image tagged twice shows twice, as `docker images` does); untagged: by id. */
export function imageNodes(list: ImageSummary[], nowMs: number): ImageNode[] {
  const rows: ImageNode[] = [];
  for (const img of list) {
    const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    const created = img.Created !== undefined ? ago(img.Created, nowMs) : undefined;
    const description = [img.Size !== undefined ? size(img.Size) : undefined, created].filter(Boolean).join(' · ');
    for (const ref of tags.length > 0 ? tags : [undefined]) {
      rows.push({
        kind: 'image',
        id: `image:${img.Id}:${ref ?? ''}`,
        imageId: img.Id,
        ref: ref ?? img.Id,
        label: ref ?? `<none> ${shortId(img.Id)}`,
        description,
        tooltip: `${ref ?? '<untagged>'}\n${img.Id}${created ? `\ncreated ${created}` : ''}`,
        contextValue: ref ? 'image.tagged' : 'image.untagged',
        icon: { id: 'package' },
        collapsible: true,
      });
    }
  }
  return rows.sort((a, b) => a.label.localeCompare(b.label));
}

/** "RUN /bin/sh -c make # buildkit" → "RUN make": the history text as the user wrote it. */
export function shortCreatedBy(createdBy: string | undefined): string {
  if (!createdBy) return '';
  return createdBy
    .replace(/\s*# buildkit$/, '')
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^(RUN\s+(?:\|\d+ \S+\s+)*)\/bin\/sh -c /, '$1')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .trim();
}

export function layerNodes(imageId: string, layers: LayerInfo[]): LayerNode[] {
  return layers.map((l, index) => {
    const text = shortCreatedBy(l.createdBy) || shortId(l.diffID);
    const changes = l.changes ? `${l.changes.length} changed paths` : undefined;
    return {
      kind: 'layer',
      id: `layer:${imageId}:${index}:${l.diffID}`,
      imageId,
      diffID: l.diffID,
      index,
      label: text.length > 80 ? `${text.slice(0, 79)}…` : text,
      description: [size(l.size), changes].filter(Boolean).join(' · '),
      tooltip: `${l.createdBy ?? ''}\n${l.diffID}`.trim(),
      contextValue: 'layer',
      icon: { id: 'layers' },
      // A click opens the image's per-layer preview (this layer's change list is in it).
      command: { id: 'slipway.showImageLayers', title: 'Show Layers Preview', args: [imageId] },
    };
  });
}
