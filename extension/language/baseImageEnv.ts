// Base images' environments for UndefinedVar in the editor, without `vscode`. The lint engine
// asks synchronously (LintOptions.baseImageEnv) while a lint must never wait for the service,
// so the first question about an image answers "unknown" and starts a fetch; when the answer
// changes what lint would see, `onDidChange` fires and the caller lints again. Image events
// from the service (tag, delete, pull, load, build…) and a (re)connection call `refresh()`,
// which fetches every remembered image again and keeps serving the old answer meanwhile, so
// diagnostics do not flicker.
import type { ImageEnv } from '../../runtime/client';

/** Looks an image up in the service's store: undefined when it has none; throws when unreachable. */
export type FetchImageEnv = (image: string) => Promise<ImageEnv | undefined>;

interface Entry {
  env?: ImageEnv;
  /** Bumped per fetch: only the latest fetch may set the entry. */
  seq: number;
}

export interface BaseImageEnvOptions {
  /** Most images remembered (half-typed FROM lines ask for many names); default 64. */
  max?: number;
  log?: (message: string) => void;
}

export class BaseImageEnvCache {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private disposed = false;
  private lastError: string | undefined;

  constructor(private readonly fetchEnv: FetchImageEnv, private readonly onDidChange: () => void, private readonly options: BaseImageEnvOptions = {}) {
    this.max = options.max ?? 64;
  }

  /** For LintOptions.baseImageEnv: the last known environment; the first ask starts a fetch. */
  readonly get = (image: string): ImageEnv | undefined => {
    let entry = this.entries.get(image);
    if (entry) {
      // Most recently used last: eviction takes the oldest first.
      this.entries.delete(image);
      this.entries.set(image, entry);
      return entry.env;
    }
    entry = { seq: 0 };
    this.entries.set(image, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    void this.load(image, entry);
    return undefined;
  };

  /** The store changed or the service came (back): fetch every remembered image again. */
  refresh(): void {
    for (const [image, entry] of this.entries) void this.load(image, entry);
  }

  /** Images currently remembered (for tests and the log). */
  images(): string[] {
    return [...this.entries.keys()];
  }

  dispose(): void {
    this.disposed = true;
    this.entries.clear();
  }

  private async load(image: string, entry: Entry): Promise<void> {
    const seq = ++entry.seq;
    let env: ImageEnv | undefined;
    try {
      env = await this.fetchEnv(image);
      this.lastError = undefined;
    } catch (err) {
      // Service down or slow: keep what we knew; refresh() on reconnection tries again.
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastError) this.options.log?.(`base image environment of ${image}: ${message}`);
      this.lastError = message;
      return;
    }
    if (this.disposed || seq !== entry.seq || this.entries.get(image) !== entry) return;
    if (sameEnv(entry.env, env)) return;
    entry.env = env;
    this.onDidChange();
  }
}

export function sameEnv(a: ImageEnv | undefined, b: ImageEnv | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** Events after which an image's configuration may differ (Docker's image event actions). */
export function isImageStoreEvent(event: { Type: string; Action: string }): boolean {
  return event.Type === 'image' && event.Action !== 'push';
}
