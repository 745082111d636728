// V8's code cache on disk (Node ≥ 22.1, module.enableCompileCache): a second start of the CLI,
// the service or the init compiles nothing it compiled before. Node 20 lacks it: then nothing
// happens. Only modules loaded after the call are cached, so each entry calls it first thing;
// bin/slipway also sets NODE_COMPILE_CACHE, which covers the entry bundle itself.
import path from 'node:path';

/** Where the cache lives: $SLIPWAY_COMPILE_CACHE, else $XDG_CACHE_HOME/slipway/compile-cache, else ~/.cache/…; undefined without a home. */
export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SLIPWAY_COMPILE_CACHE) return env.SLIPWAY_COMPILE_CACHE;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'slipway', 'compile-cache') : undefined;
}

type WithCache = { enableCompileCache?: (dir?: string) => unknown };

/** Whether a Node version has module.enableCompileCache (22.1 and later). */
export function hasCompileCache(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

/** Turns the cache on when this Node has it and NODE_DISABLE_COMPILE_CACHE is not set; never throws. */
export function enableCompileCache(env: NodeJS.ProcessEnv): boolean {
  const dir = compileCacheDir(env);
  // node:module is loaded only where it can help: on Node 20 it drags in the ES-module loader
  // and source-map support, a few ms of every CLI start for nothing.
  if (!hasCompileCache(process.version) || !dir || env.NODE_DISABLE_COMPILE_CACHE) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const enable = (require('node:module') as WithCache).enableCompileCache;
  if (typeof enable !== 'function') return false;
  try {
    enable(dir);
    return true;
  } catch {
    return false; // a read-only or missing home: run uncached
  }
}
