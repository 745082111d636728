// A real Debian `docker-registry` (distribution 2.8) on 127.0.0.1 for the registry tier: a
// free port, a temp config and storage dir, optionally htpasswd Basic auth or token auth (a
// token server written here signs RS256 JWTs with an x5c chain that the registry verifies
// against a self-signed certificate made by openssl). stop() kills it and removes the dir.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryOptions {
  /** htpasswd Basic auth with this user. */
  basic?: { username: string; password: string };
  /** Token auth; the token server accepts these credentials (and anonymous pulls when `anonymousPull`). */
  token?: { username: string; password: string; anonymousPull?: boolean };
}

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  dir: string;
  /** Requests the token server answered (for assertions on the flow). */
  tokenRequests: Array<{ scope: string[]; account?: string; authorized: boolean }>;
  stop(): Promise<void>;
}

export function whyNoRegistry(options: RegistryOptions = {}): string | undefined {
  if (!fs.existsSync(REGISTRY_BIN)) return `${REGISTRY_BIN} is missing: apt-get install docker-registry`;
  if (options.basic && !hasBin('htpasswd')) return 'htpasswd is missing: apt-get install apache2-utils';
  if (options.token && !hasBin('openssl')) return 'openssl is missing: apt-get install openssl';
  return undefined;
}

function hasBin(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-'));
  const port = await freePort();
  const tokenRequests: TestRegistry['tokenRequests'] = [];
  let tokenServer: http.Server | undefined;
  let auth = '';
  if (options.basic) {
    execFileSync('htpasswd', ['-Bbc', path.join(dir, 'htpasswd'), options.basic.username, options.basic.password], { stdio: 'ignore' });
    auth = `auth:\n  htpasswd:\n    realm: slipway-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  if (options.token) {
    const key = path.join(dir, 'token.key');
    const cert = path.join(dir, 'token.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=slipway-test-token'], { stdio: 'ignore' });
    const started = await startTokenServer(fs.readFileSync(key, 'utf8'), fs.readFileSync(cert, 'utf8'), options.token, tokenRequests);
    tokenServer = started.server;
    auth = `auth:\n  token:\n    realm: http://127.0.0.1:${started.port}/token\n    service: slipway-test\n    issuer: slipway-test-issuer\n    rootcertbundle: ${cert}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    auth,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await new Promise<void>((r) => (tokenServer ? tokenServer.close(() => r()) : r()));
    tokenServer?.closeAllConnections();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host: `127.0.0.1:${port}`, port, dir, tokenRequests, stop };
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`docker-registry did not listen on ${port}: ${stderr()}`);
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

async function startTokenServer(keyPem: string, certPem: string, users: { username: string; password: string; anonymousPull?: boolean }, log: TestRegistry['tokenRequests']): Promise<{ server: http.Server; port: number }> {
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64').toString('base64');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const header = req.headers.authorization ?? '';
    let authorized = false;
    if (header.startsWith('Basic ')) {
      const [u, ...p] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      authorized = u === users.username && p.join(':') === users.password;
      if (!authorized) {
        log.push({ scope: scopes, account: u, authorized });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
    }
    log.push({ scope: scopes, account: url.searchParams.get('account') ?? undefined, authorized });
    const access = scopes.map((s) => {
      const [type, name, actions] = s.split(':');
      const asked = (actions ?? '').split(',');
      const granted = authorized ? asked : users.anonymousPull ? asked.filter((a) => a === 'pull') : [];
      return { type, name, actions: granted };
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'slipway-test-issuer', sub: authorized ? users.username : '', aud: 'slipway-test', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }));
    const body = b64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(keyPem);
    const token = `${head}.${body}.${b64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** A one-directory rootfs tar (data/payload holding `payload`), made with the host's tar. */
export function smallRootfsTar(payload: Buffer): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-tar-'));
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'payload'), payload);
    return execFileSync('tar', ['-C', dir, '--owner=0', '--group=0', '-cf', '-', 'data'], { maxBuffer: 256 << 20 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
