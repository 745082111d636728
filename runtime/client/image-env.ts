// Base images' environments from the local image store, for the lint rule UndefinedVar
// (LintOptions.baseImageEnv): `FROM myimg` + `WORKDIR $APP_HOME` is fine when myimg's
// Config.Env sets APP_HOME. The editor caches these per image (extension/language/
// baseImageEnv.ts); `slipway lint` asks once per run, and only a service that already answers.
import { envListToMap } from '../common/env';
import { NotFoundError, SlipwayError } from '../errors';
import type { ApiClient } from './client';
import { imagePath } from './paths';

export type ImageEnv = Record<string, string>;

/** Config.Env (`["PATH=/usr/bin", "A=1"]`) as a record; a later entry wins, as in Docker. */
export function envRecord(list: unknown): ImageEnv {
  if (list === undefined || list === null) return {};
  if (!Array.isArray(list)) throw new SlipwayError('image config Env is not a list');
  const bad = list.find((entry) => typeof entry !== 'string');
  if (bad !== undefined) throw new SlipwayError(`image config Env entry ${JSON.stringify(bad)} is not a string`);
  // "=x" names nothing a Dockerfile could refer to.
  return Object.fromEntries([...envListToMap(list as string[])].filter(([name]) => name !== ''));
}

/**
 * The environment of `image` in the service's store (GET /images/{name}/json), undefined when
 * the store has no such image. Any other failure (service down, timeout) is thrown: the caller
 * decides whether "unknown" may be remembered.
 */
export async function localImageEnv(client: ApiClient, image: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ImageEnv | undefined> {
  try {
    const body = await client.get<{ Config?: { Env?: unknown } | null }>(`/images/${imagePath(image)}/json`, options);
    return envRecord(body?.Config?.Env);
  } catch (err) {
    // 400: a name the store cannot parse (a half-typed FROM in the editor) is no image either.
    if (err instanceof NotFoundError || (err instanceof SlipwayError && err.status === 400)) return undefined;
    throw err;
  }
}

/**
 * The environments of `images` from a service that is already running, for a one-shot lint:
 * an empty map when nothing answers on the socket (lint never starts the service, and never
 * fails because it is down). Images the store lacks are left out.
 */
export async function localImageEnvs(client: ApiClient, images: Iterable<string>, timeoutMs = 2_000): Promise<Map<string, ImageEnv>> {
  const out = new Map<string, ImageEnv>();
  const wanted = [...new Set(images)];
  if (wanted.length === 0 || !(await client.ping(Math.min(timeoutMs, 1_000)))) return out;
  await Promise.all(wanted.map(async (image) => {
    try {
      const env = await localImageEnv(client, image, { timeoutMs });
      if (env) out.set(image, env);
    } catch {
      // The service went away or is too slow: lint without this image's environment.
    }
  }));
  return out;
}
