// The Dockerfile source of a layer built here (file, 1-based lines, step): its shape, its
// check when read back from a record, and how it is shown. No imports: the preview webview
// bundles this module too.

/** Where the instruction that made a layer was written. */
export interface DockerfileSource {
  /** The Dockerfile as the user named it: relative to the build context ("Dockerfile", "docker/app.Dockerfile"). */
  file: string;
  /** First and last line of the instruction, 1-based as shown to users. */
  startLine: number;
  endLine: number;
  /** 0-based step index over the whole build (the build events' `step`). */
  step: number;
  /**
   * Absolute path of the Dockerfile on the service's host when the build read it in place
   * (POST /slipway/build); absent for an uploaded context (Docker's /build), whose copy is gone.
   */
  path?: string;
}

const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** The record's source when it is well-formed (older or hand-edited records may lack it). */
export function layerSourceOf(v: unknown): DockerfileSource | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as Record<string, unknown>;
  if (typeof s.file !== 'string' || s.file === '' || !isLine(s.startLine) || !isLine(s.endLine) || s.endLine < s.startLine) return undefined;
  if (typeof s.step !== 'number' || !Number.isInteger(s.step) || s.step < 0) return undefined;
  if (s.path !== undefined && typeof s.path !== 'string') return undefined;
  return { file: s.file, startLine: s.startLine, endLine: s.endLine, step: s.step, ...(typeof s.path === 'string' ? { path: s.path } : {}) };
}

/** "Dockerfile:4" or "Dockerfile:4-6", as `slipway layers` and the preview show a source. */
export function formatLayerSource(s: DockerfileSource): string {
  return `${s.file}:${s.startLine}${s.endLine > s.startLine ? `-${s.endLine}` : ''}`;
}
