// Stage and base resolution for one build: what each stage starts from (scratch, a stored
// image, an earlier stage), the state a stage carries from step to step (layers, history, the
// cache-key chain), and where COPY --from / RUN --mount=from= read: a built stage's layers or
// an image's, and the key that pins their content.
import { DockerfileError } from '../../errors';
import type { ImageRecord } from '../../image/store';
import type { Descriptor, HistoryEntry } from '../../image/types';
import { stageRoot } from '../cache-key';
import type { Stage, Step } from '../plan';
import type { LayerSource } from './run-mounts';

/** What a stage has built so far; becomes the image (or the base of later stages). */
export interface StageState {
  image?: ImageRecord;
  layers: Descriptor[];
  diffIDs: string[];
  history: HistoryEntry[];
  /** The cache key of the last step (the stage root before the first). */
  key: string;
  created?: string;
}

/** The stages of one build, as they finish, and the images they name. */
export class StageSources {
  private readonly states = new Map<number, StageState>();

  constructor(
    private readonly file: string,
    private readonly images: Map<string, ImageRecord>,
    /** A base image the build did not resolve up front (found in the store, not pulled). */
    private readonly baseImage: (ref: string) => Promise<ImageRecord>,
  ) {}

  /** The state a stage starts from: a copy, so its steps never change the stage or image below. */
  async start(stage: Stage): Promise<StageState> {
    if (stage.base.kind === 'scratch') return { layers: [], diffIDs: [], history: [], key: stageRoot({ kind: 'scratch' }) };
    if (stage.base.kind === 'stage') {
      const parent = this.states.get(stage.base.stage);
      if (!parent) throw new DockerfileError(`stage ${stage.base.stage} has not been built`, this.file, stage.range);
      return { ...structuredClone(parent), image: parent.image, key: stageRoot({ kind: 'stage', key: parent.key }) };
    }
    const image = await this.image(stage.base.ref);
    return {
      image, layers: [...image.manifest.layers], diffIDs: [...image.config.rootfs.diff_ids],
      history: structuredClone(image.config.history ?? image.manifest.layers.map(() => ({}))),
      key: stageRoot({ kind: 'image', id: image.id }), created: image.config.created,
    };
  }

  finish(stage: Stage, state: StageState): void {
    this.states.set(stage.index, state);
  }

  /** A finished stage's state (the build's target at the end). */
  get(index: number): StageState | undefined {
    return this.states.get(index);
  }

  /** The layers of a stage built earlier or of an image (COPY --from, RUN --mount=from=). */
  async layers(from: LayerSource, step: Step): Promise<{ layers: Descriptor[]; diffIDs: string[] }> {
    if (from.kind === 'stage') return this.built(from.stage, step, `${step.instruction.kind} --from`);
    const image = await this.image(from.ref);
    return { layers: image.manifest.layers, diffIDs: image.config.rootfs.diff_ids };
  }

  /** What pins the content of a stage or image: the stage's last cache key, the image's ID. */
  async key(from: LayerSource, step: Step): Promise<string> {
    if (from.kind === 'stage') return `stage:${this.built(from.stage, step, 'RUN --mount from').key}`;
    return `image:${(await this.image(from.ref)).id}`;
  }

  private built(index: number, step: Step, what: string): StageState {
    const s = this.states.get(index);
    if (!s) throw new DockerfileError(`${what}: stage ${index} has not been built`, this.file, step.range);
    return s;
  }

  private async image(ref: string): Promise<ImageRecord> {
    return this.images.get(ref) ?? this.baseImage(ref);
  }
}
