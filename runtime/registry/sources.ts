// Where a blob is known to live on a registry, so a push to another repository of the same
// registry can ask for a cross-repository mount instead of uploading (Docker keeps the same
// hint in its "distribution metadata"). One small JSON file per blob under the store's meta/:
//   <store>/meta/registry-sources/<hex>.json   ["localhost:5000/a", "localhost:5000/b"]
// Losing a hint only costs an upload, so writes are last-writer-wins without a lock.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../common/atomic-file';

const MAX_SOURCES = 8;

export class BlobSources {
  readonly dir: string;

  constructor(storeRoot: string) {
    this.dir = path.join(storeRoot, 'meta', 'registry-sources');
  }

  private file(digest: string): string {
    return path.join(this.dir, `${digest.replace(/^sha256:/, '')}.json`);
  }

  /** Repositories ("domain/path") known to hold `digest`, newest first. */
  async get(digest: string): Promise<string[]> {
    try {
      const list = JSON.parse(await fs.promises.readFile(this.file(digest), 'utf8')) as unknown;
      return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
    } catch {
      return [];
    }
  }

  async add(digest: string, repository: string): Promise<void> {
    const list = [repository, ...(await this.get(digest)).filter((r) => r !== repository)].slice(0, MAX_SOURCES);
    await fs.promises.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file(digest), JSON.stringify(list));
  }

  /** A repository on `domain` other than `exceptPath` that holds `digest` (its path), if any. */
  async mountCandidate(digest: string, domain: string, exceptPath: string): Promise<string | undefined> {
    for (const repo of await this.get(digest)) {
      if (repo.startsWith(`${domain}/`) && repo.slice(domain.length + 1) !== exceptPath) return repo.slice(domain.length + 1);
    }
    return undefined;
  }
}
