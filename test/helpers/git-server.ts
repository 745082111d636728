// Real git servers on 127.0.0.1 for the ADD <git ref> tests: `git daemon` (git:// URLs) and
// `git http-backend` behind a small Node HTTP server (http://….git URLs, smart protocol), both
// serving bare repositories under one temp directory. Repositories are edited through a work
// clone and pushed, so the servers always see what a remote would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', HOME: '/nonexistent' };

/** Why the git servers cannot run here (no git program), or undefined. */
export function gitMissing(): string | undefined {
  try { execPath(); return undefined; } catch { return 'requires git (test/setup.sh installs it)'; }
}

let gitExecPath: string | undefined;
/** git's helper programs (git-http-backend) live in `git --exec-path`. */
function execPath(): string {
  gitExecPath ??= execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  return gitExecPath;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

export interface GitServers {
  /** git://127.0.0.1:<port>/ */
  gitUrl: string;
  /** http://127.0.0.1:<port>/ */
  httpUrl: string;
  /** A bare repository `name`.git, filled from `files` (path → content; mode 0755 when the name ends in ".sh"). Returns its work clone. */
  repo(name: string, files: Record<string, string>): string;
  /** Commits `files` in the work clone and pushes `branch`; returns the new commit. */
  commit(work: string, files: Record<string, string>, message?: string): string;
  close(): Promise<void>;
}

export async function startGitServers(dir: string): Promise<GitServers> {
  const base = path.join(dir, 'repos');
  fs.mkdirSync(base, { recursive: true });
  const port = await freePort();
  const daemon = spawn('git', ['daemon', '--export-all', '--reuseaddr', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], { stdio: 'ignore', env: GIT_ENV });
  const server = http.createServer((req, res) => serveHttpBackend(base, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const httpPort = (server.address() as net.AddressInfo).port;
  await waitForPort(port);
  const commit = (work: string, files: Record<string, string>, message = 'change'): string => {
    for (const [p, content] of Object.entries(files)) {
      const abs = path.join(work, p);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content, { mode: p.endsWith('.sh') ? 0o755 : 0o644 });
    }
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', message);
    git(work, 'push', '-q', 'origin', 'HEAD');
    return git(work, 'rev-parse', 'HEAD');
  };
  return {
    gitUrl: `git://127.0.0.1:${port}/`,
    httpUrl: `http://127.0.0.1:${httpPort}/`,
    repo(name, files) {
      const bare = path.join(base, `${name}.git`);
      git(base, 'init', '-q', '--bare', bare);
      const work = path.join(dir, 'work', name);
      fs.mkdirSync(path.dirname(work), { recursive: true });
      git(dir, 'clone', '-q', bare, work);
      commit(work, files, 'first');
      return work;
    },
    commit,
    async close() {
      await stop(daemon);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One request through git-http-backend (CGI): headers up to the blank line, then the body. */
function serveHttpBackend(base: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const cgi = spawn(path.join(execPath(), 'git-http-backend'), [], {
    env: {
      ...GIT_ENV, GIT_PROJECT_ROOT: base, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: req.method ?? 'GET', QUERY_STRING: url.search.slice(1), CONTENT_TYPE: req.headers['content-type'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''), REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) { res.write(chunk); return; }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const [k, ...v] = line.split(':');
      if (!k || v.length === 0) continue;
      if (k.toLowerCase() === 'status') status = parseInt(v.join(':').trim(), 10);
      else res.setHeader(k, v.join(':').trim());
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  cgi.on('close', () => { if (!headersDone) res.writeHead(500); res.end(); });
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`git daemon did not listen on 127.0.0.1:${port}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await done;
}
