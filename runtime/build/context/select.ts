// Everything a planned COPY/ADD reads from a source root, and the records its cache key
// hashes — in one pass, so what is copied and what is hashed can never differ.
import { createHash } from 'node:crypto';
import { ContentCache, fileRecords, type FileRecord } from '../cache-key.js';
import type { CopyPlan } from '../plan/types.js';
import type { IgnoreMatcher } from './ignore.js';
import { parentsPivot, selectSource, type SourceMatch } from './walk.js';

export interface CopySelection {
  /** Per source of the plan, in order: the matches for path sources, [] for the others. */
  matches: SourceMatch[][];
  /** Cache-key records: selected files, inline (heredoc) bodies, and URLs/git refs. */
  records: FileRecord[];
  /** Small files' bytes as read for the records, so the copy reads each file once. */
  contents: ContentCache;
}

/**
 * Select a COPY/ADD's path sources under `root` (the context, or a stage's/image's rootfs for
 * --from; .dockerignore applies to the context only) and build its cache records. URL and git
 * sources are recorded by address; the executor adds their checksum once downloaded.
 */
export async function selectCopySources(root: string, copy: CopyPlan, ignore?: IgnoreMatcher): Promise<CopySelection> {
  const matches: SourceMatch[][] = [];
  const records: FileRecord[] = [];
  const contents = new ContentCache();
  for (const src of copy.sources) {
    if (src.kind === 'path') {
      const found = await selectSource(root, src.path, {
        ignore: copy.from.kind === 'context' ? ignore : undefined, exclude: copy.exclude,
        ...(copy.parents ? { excludeFrom: parentsPivot(src.path) } : {}),
      });
      matches.push(found);
      for (const m of found) records.push(...(await fileRecords(m.entries, contents)));
      continue;
    }
    matches.push([]);
    if (src.kind === 'inline') {
      records.push({ path: `<<${src.name}`, type: 'file', mode: 0o644, uid: 0, gid: 0, digest: 'sha256:' + createHash('sha256').update(src.content).digest('hex') });
    } else {
      records.push({ path: src.url, type: 'other', mode: 0, uid: 0, gid: 0 });
    }
  }
  return { matches, records, contents };
}
