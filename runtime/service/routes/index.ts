// Every route of the service, one table. A part of the API adds its module here with one
// line (containers, images, build, ...). Order matters only where two paths could match the
// same request: the first wins.
import type { Route } from '../router';
import { buildRoutes } from './build';
import { imageRoutes } from './images';
import { registryRoutes } from './registry';
import { slipwayRoutes } from './slipway';
import { systemRoutes } from './system';

export const routes: Route[] = [
  ...systemRoutes,
  ...slipwayRoutes,
  ...registryRoutes,
  ...imageRoutes,
  ...buildRoutes,
];
