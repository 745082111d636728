// Registry routes of the Docker Engine API:
//   POST /images/create?fromImage=&tag=&platform=   pull, answering Docker's progress JSON lines
//   POST /images/{name}/push?tag=                   push, same
//   POST /auth                                      check credentials ({"Status":"Login Succeeded"})
// Credentials come as the docker CLI sends them, in X-Registry-Auth; the service never reads
// a user's ~/.docker/config.json itself. As in moby, an error before any output is an HTTP
// error (404 for "manifest unknown"); once progress has been written it is the stream's last
// line, {"errorDetail":{"message":…},"error":…}.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import { familiarName, formatReference, parseReference } from '../../image/reference';
import { ImageStore } from '../../image/store';
import { parsePlatform } from '../../registry/platform';
import { credentialsOf, checkLogin, decodeAuthHeader, registryDomain, type AuthConfig } from '../../registry/login';
import { errorMessage, toJsonMessage, type JsonMessage, type ProgressEvent } from '../../registry/progress';
import { pullImage } from '../../registry/pull';
import { pushImage } from '../../registry/push';
import { RegistrySession } from '../../registry/session';
import { describe } from '../../errors';
import type { Call, NdjsonStream } from '../call';
import type { ServiceContext } from '../context';
import type { Route } from '../router';
import { importImage } from './images';

/** The service's image store (<state>/image), opened once on first use. */
export function imageStore(ctx: ServiceContext): Promise<ImageStore> {
  return ctx.lazy('image-store', () => ImageStore.open(path.join(ctx.stateRoot, 'image')));
}

function sessionFor(auth: AuthConfig | undefined): RegistrySession {
  const creds = credentialsOf(auth);
  const domain = auth?.serveraddress ? registryDomain(auth.serveraddress) : undefined;
  // The CLI sends the credentials of the image's registry; trust them for that registry only
  // when it names one.
  return new RegistrySession({ credentials: async (d) => (creds && (!domain || domain === d) ? creds : undefined) });
}

/** Progress lines that start the HTTP answer only when the first one is written. */
function lazyStream(call: Call) {
  let stream: NdjsonStream | undefined;
  return {
    write(m: JsonMessage) { (stream ??= call.stream()).write(m); },
    get started() { return stream !== undefined; },
    end() { stream?.end(); },
  };
}

async function run(call: Call, work: (emit: (e: ProgressEvent) => void, raw: (m: JsonMessage) => void) => Promise<void>): Promise<void> {
  const out = lazyStream(call);
  try {
    await work((e) => out.write(toJsonMessage(e)), (m) => out.write(m));
  } catch (err) {
    if (!out.started) throw err;
    call.ctx.log.warn('registry operation failed', { path: call.path, error: describe(err) });
    out.write(errorMessage(describe(err)));
  }
  out.end();
}

async function create(call: Call): Promise<void> {
  const { query, ctx } = call;
  if (query.string('fromSrc') !== undefined) return importImage(call); // `docker import` shares the path
  const fromImage = query.string('fromImage');
  if (!fromImage) throw new InvalidArgumentError('fromImage is required');
  const tag = query.string('tag');
  // `tag` may be a tag or a digest; fromImage may already carry either.
  const text = tag ? (tag.includes(':') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`) : fromImage;
  const ref = parseReference(text);
  const platformText = query.string('platform');
  const platform = platformText ? parsePlatform(platformText) : undefined;
  const store = await imageStore(ctx);
  const session = sessionFor(decodeAuthHeader(call.headers['x-registry-auth']));
  try {
    await run(call, async (emit) => {
      const result = await pullImage(store, ref, { session, platform, onProgress: emit, signal: call.signal, unpack: true });
      ctx.events.publish({ Type: 'image', Action: 'pull', Actor: { ID: result.name ? familiarName(parseReference(result.name)) : formatReference(ref), Attributes: { name: familiarName(ref) } } });
    });
  } finally {
    await session.close();
  }
}

async function push(call: Call): Promise<void> {
  const { query, ctx, params } = call;
  const tag = query.string('tag');
  const ref = parseReference(tag ? `${params.name}:${tag}` : params.name);
  const store = await imageStore(ctx);
  const session = sessionFor(decodeAuthHeader(call.headers['x-registry-auth']));
  try {
    // Fail before streaming when the image is not here (404, as Docker answers).
    await store.get(formatReference(ref));
    await run(call, async (emit, raw) => {
      const result = await pushImage(store, ref, { session, onProgress: emit, signal: call.signal });
      // The docker CLI reads the pushed digest from this aux message (`docker push` prints it).
      raw({ progressDetail: {}, aux: { Tag: ref.tag ?? '', Digest: result.manifestDigest, Size: result.size } });
      ctx.events.publish({ Type: 'image', Action: 'push', Actor: { ID: familiarName(ref), Attributes: { name: familiarName(ref) } } });
    });
  } finally {
    await session.close();
  }
}

async function auth(call: Call): Promise<unknown> {
  const body = await call.json<AuthConfig>();
  if (!body || (!body.username && !body.identitytoken)) throw new InvalidArgumentError('username (or identitytoken) is required');
  const domain = registryDomain(body.serveraddress);
  const session = sessionFor({ ...body, serveraddress: domain });
  try {
    await checkLogin(session, domain, call.signal);
  } finally {
    await session.close();
  }
  return { Status: 'Login Succeeded', IdentityToken: '' };
}

export const registryRoutes: Route[] = [
  { method: 'POST', path: '/images/create', handler: create },
  { method: 'POST', path: '/images/{name*}/push', handler: push },
  { method: 'POST', path: '/auth', handler: auth },
];
