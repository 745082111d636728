// Registry credentials in Docker's client config (~/.docker/config.json, or $DOCKER_CONFIG/
// config.json), so `docker login` and `slipway login` share them:
//   { "auths": { "localhost:5000": { "auth": base64("user:password") },
//                "https://index.docker.io/v1/": { ... } },
//     "credsStore": "pass",                 every registry through docker-credential-pass
//     "credHelpers": { "gcr.io": "gcloud" } one registry through docker-credential-gcloud }
// Helpers speak the docker-credential-helpers protocol: `get` reads a server URL on stdin and
// prints {"ServerURL","Username","Secret"}; `store` reads that JSON; `erase` reads the URL.
// Username "<token>" means Secret is an identity token (OAuth refresh token), as in Docker.
// Secrets never go into error messages: helpers' stderr is reported, their stdin is not.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, SlipwayError } from '../errors';
import { DEFAULT_DOMAIN } from '../image/reference';
import { writeFileAtomic } from '../common/atomic-file';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token from a previous login, used instead of the password. */
  identityToken?: string;
}

export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; [k: string]: unknown }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** Runs `docker-credential-<helper> <action>` with `input` on stdin; resolves to stdout. */
export type HelperRunner = (helper: string, action: 'get' | 'store' | 'erase', input: string, env?: NodeJS.ProcessEnv) => Promise<string>;

/** The key Docker uses for Docker Hub in `auths`; other registries use their host[:port]. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

export function configKey(domain: string): string {
  return domain === DEFAULT_DOMAIN || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? DOCKER_HUB_KEY : domain;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

export async function readDockerConfig(file: string): Promise<DockerConfig> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SlipwayError(`cannot read docker config ${file}`, { cause: err });
  }
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as DockerConfig;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (err) {
    throw new InvalidArgumentError(`docker config ${file} is not valid JSON`, { cause: err });
  }
}

/** Writes through a temp file and rename, mode 0600 (it holds secrets), keeping unknown keys. */
export async function writeDockerConfig(file: string, config: DockerConfig): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
}

export function encodeAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export function decodeAuth(auth: string, key: string): { username: string; password: string } {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw new InvalidArgumentError(`the "auth" entry for ${key} in the docker config is malformed (expected base64 of user:password)`);
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The helper configured for `key`, if any (credHelpers wins over credsStore, as in Docker). */
export function helperFor(config: DockerConfig, key: string): string | undefined {
  return config.credHelpers?.[key] ?? config.credHelpers?.[key.replace(/^https?:\/\//, '').replace(/\/.*$/, '')] ?? (config.credsStore || undefined);
}

export const runCredentialHelper: HelperRunner = (helper, action, input, env = process.env) => new Promise((resolve, reject) => {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) {
    reject(new InvalidArgumentError(`invalid credential helper name "${helper}"`));
    return;
  }
  const bin = `docker-credential-${helper}`;
  const child = spawn(bin, [action], { stdio: ['pipe', 'pipe', 'pipe'], env });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.on('error', (cause) => reject(new SlipwayError(`credential helper ${bin} could not be started`, { cause })));
  child.on('close', (code) => {
    const stdout = Buffer.concat(out).toString('utf8');
    if (code === 0) resolve(stdout);
    // Helpers print their error on stdout (e.g. "credentials not found in native keychain").
    else reject(new SlipwayError(`credential helper ${bin} ${action} failed (exit ${code}): ${(Buffer.concat(err).toString('utf8') || stdout).trim()}`));
  });
  child.stdin.end(input);
});

const NOT_FOUND = /credentials not found/i;

export interface CredentialStoreOptions {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  runHelper?: HelperRunner;
}

/** Reads and writes registry credentials the way the docker CLI does. */
export class CredentialStore {
  readonly configPath: string;
  private readonly runHelper: HelperRunner;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: CredentialStoreOptions = {}) {
    this.env = options.env ?? process.env;
    this.configPath = options.configPath ?? dockerConfigPath(this.env);
    this.runHelper = options.runHelper ?? runCredentialHelper;
  }

  /** Credentials for a registry domain ("localhost:5000", "docker.io"), or undefined. */
  async get(domain: string): Promise<Credentials | undefined> {
    const config = await readDockerConfig(this.configPath);
    const key = configKey(domain);
    const helper = helperFor(config, key);
    if (helper) {
      let out: string;
      try {
        out = await this.runHelper(helper, 'get', key, this.env);
      } catch (err) {
        if (NOT_FOUND.test((err as Error).message)) return undefined;
        throw err;
      }
      let parsed: { Username?: string; Secret?: string };
      try {
        parsed = JSON.parse(out) as { Username?: string; Secret?: string };
      } catch (cause) {
        // The output may hold a secret: it is not quoted.
        throw new SlipwayError(`credential helper docker-credential-${helper} returned invalid JSON for ${key}`, { cause: new Error((cause as Error).name) });
      }
      if (!parsed.Secret) return undefined;
      return parsed.Username === '<token>' ? { identityToken: parsed.Secret } : { username: parsed.Username ?? '', password: parsed.Secret };
    }
    const entry = config.auths?.[key] ?? (key === DOCKER_HUB_KEY ? undefined : config.auths?.[`https://${key}`] ?? config.auths?.[`http://${key}`]);
    if (!entry) return undefined;
    if (entry.identitytoken) return { identityToken: entry.identitytoken };
    if (entry.auth) return decodeAuth(entry.auth, key);
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    return undefined;
  }

  async store(domain: string, creds: Credentials): Promise<void> {
    const config = await readDockerConfig(this.configPath);
    const key = configKey(domain);
    const helper = helperFor(config, key);
    config.auths ??= {};
    if (helper) {
      const secret = creds.identityToken ?? creds.password ?? '';
      const username = creds.identityToken ? '<token>' : creds.username ?? '';
      await this.runHelper(helper, 'store', JSON.stringify({ ServerURL: key, Username: username, Secret: secret }), this.env);
      // Docker keeps an empty entry so `docker info`/login listings know the registry.
      config.auths[key] = {};
    } else if (creds.identityToken) {
      config.auths[key] = { auth: encodeAuth(creds.username ?? '', ''), identitytoken: creds.identityToken };
    } else {
      config.auths[key] = { auth: encodeAuth(creds.username ?? '', creds.password ?? '') };
    }
    await writeDockerConfig(this.configPath, config);
  }

  /** Removes stored credentials; false when there were none. */
  async erase(domain: string): Promise<boolean> {
    const config = await readDockerConfig(this.configPath);
    const key = configKey(domain);
    const helper = helperFor(config, key);
    let found = false;
    if (helper) {
      try {
        await this.runHelper(helper, 'erase', key, this.env);
        found = true;
      } catch (err) {
        if (!NOT_FOUND.test((err as Error).message)) throw err;
      }
    }
    if (config.auths && key in config.auths) {
      delete config.auths[key];
      found = true;
      await writeDockerConfig(this.configPath, config);
    }
    return found;
  }
}
