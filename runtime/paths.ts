// Where Slipway's files are: its bundles, its state, its socket.
// Everything that touches the filesystem takes its root as a parameter; these functions give
// the defaults that the service and CLI start from.
import os from 'node:os';
import path from 'node:path';

const isRoot = () => process.getuid?.() === 0;

/**
 * The path of a bundle in dist/ (service.js, init.js, container-worker.js, ...). Works both
 * from the bundles themselves (dist/*.js, __dirname is dist/) and from the TypeScript sources
 * run under tsx in tests (then the repository's dist/, which `npm run build` fills).
 */
export function bundlePath(name: string): string {
  if (__filename.endsWith('.ts')) return path.resolve(__dirname, '..', 'dist', name);
  return path.join(__dirname, name);
}

/** State directory: SLIPWAY_ROOT, /var/lib/slipway as root, ~/.local/share/slipway otherwise. */
export function defaultStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIPWAY_ROOT) return path.resolve(env.SLIPWAY_ROOT);
  if (isRoot()) return '/var/lib/slipway';
  return path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'slipway');
}

/** Service socket: SLIPWAY_SOCKET, /run/slipway/slipway.sock as root, $XDG_RUNTIME_DIR/slipway/slipway.sock otherwise. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIPWAY_SOCKET) return path.resolve(env.SLIPWAY_SOCKET);
  if (isRoot()) return '/run/slipway/slipway.sock';
  const runtimeDir = env.XDG_RUNTIME_DIR || path.join(os.tmpdir(), `slipway-${process.getuid?.() ?? 'user'}`);
  return path.join(runtimeDir, 'slipway', 'slipway.sock');
}
