// Slipway's own additions to the API live under /slipway/.
import { API_VERSION, PRODUCT_VERSION } from '../api-version';
import type { Call } from '../call';
import type { Route } from '../router';

export interface ServiceStatus {
  pid: number;
  version: string;
  apiVersion: string;
  stateRoot: string;
  socket: string;
  startedAt: string;
  uptimeSeconds: number;
  rssBytes: number;
  node: string;
}

function status(call: Call): ServiceStatus {
  const { ctx } = call;
  return {
    pid: process.pid,
    version: PRODUCT_VERSION,
    apiVersion: API_VERSION,
    stateRoot: ctx.stateRoot,
    socket: ctx.socketPath,
    startedAt: new Date(ctx.startedAt).toISOString(),
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
    rssBytes: process.memoryUsage.rss(),
    node: process.version,
  };
}

export const slipwayRoutes: Route[] = [
  { method: 'GET', path: '/slipway/status', handler: status },
];
