// How commands reach the service: find its socket, start it when it does not answer (as the
// extension does), and explain what is missing when this user cannot start it.
import fs from 'node:fs';
import { ApiClient, ensureService } from '../client';
import { SlipwayError } from '../errors';
import { defaultSocketPath, defaultStateRoot } from '../paths';
import { hasRootPrivileges, privilegesMessage } from '../service/privileges';
import type { CliContext } from './command';

/** An error whose message is printed as is, with exit code 1. */
export class CliError extends SlipwayError {}

export interface ServiceLocation {
  socketPath: string;
  stateRoot: string;
}

export function serviceLocation(env: NodeJS.ProcessEnv): ServiceLocation {
  return { socketPath: defaultSocketPath(env), stateRoot: defaultStateRoot(env) };
}

/**
 * A client of a running service, started first when needed. Call `close()` when done. No
 * /_ping first: without a socket file the service is started here, and a socket that refuses
 * the first request (a stale one) starts it then (ApiClient's onUnavailable).
 */
export async function connect(ctx: CliContext, options: { getuid?: () => number } = {}): Promise<ApiClient> {
  const loc = serviceLocation(ctx.env);
  const start = async () => {
    if (!hasRootPrivileges(options.getuid ?? process.getuid)) throw new CliError(privilegesMessage('starting the slipway service'));
    await ensureService({ ...loc, env: ctx.env });
  };
  if (!fs.existsSync(loc.socketPath)) await start();
  return new ApiClient({ socketPath: loc.socketPath, onUnavailable: start });
}

/** Runs `fn` with a connected client and always releases it. */
export async function withClient<T>(ctx: CliContext, fn: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = await connect(ctx);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
