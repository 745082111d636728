// V8's code cache on disk (Node ≥ 22.1, module.enableCompileCache): a second start of the CLI,
// the service or the init compiles nothing it compiled before. Node 20 lacks it: then nothing
// happens. Only modules loaded after the call are cached, so each entry calls it first thing;
// bin/slipway also sets NODE_COMPILE_CACHE, which covers the entry bundle itself.
import nodeModule from 'node:module';
import path from 'node:path';

/** Where the cache lives: $SLIPWAY_COMPILE_CACHE, else $XDG_CACHE_HOME/slipway/compile-cache, else ~/.cache/…; undefined without a home. */
export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SLIPWAY_COMPILE_CACHE) return env.SLIPWAY_COMPILE_CACHE;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'slipway', 'compile-cache') : undefined;
}

type WithCache = { enableCompileCache?: (dir?: string) => unknown };

/** Turns the cache on when this Node has it and NODE_DISABLE_COMPILE_CACHE is not set; never throws. */
export function enableCompileCache(env: NodeJS.ProcessEnv): boolean {
  const enable = (nodeModule as WithCache).enableCompileCache;
  const dir = compileCacheDir(env);
  if (typeof enable !== 'function' || !dir || env.NODE_DISABLE_COMPILE_CACHE) return false;
  try {
    enable(dir);
    return true;
  } catch {
    return false; // a read-only or missing home: run uncached
  }
}
