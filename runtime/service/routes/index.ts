// Every route of the service, one table. A part of the API adds its module here with one
// line (containers, images, build, ...). Order matters only where two paths could match the
// same request: the first wins.
import type { Route } from '../router';
import { containerRoutes } from './containers';
import { buildRoutes } from './build';
import { execRoutes } from './exec';
import { imageRoutes } from './images';
import { registryRoutes } from './registry';
import { slipwayRoutes } from './slipway';
import { systemRoutes } from './system';
import { volumeRoutes } from './volumes';

export const routes: Route[] = [
  ...systemRoutes,
  ...slipwayRoutes,
  ...registryRoutes,
  ...imageRoutes,
  ...buildRoutes,
  ...containerRoutes,
  ...execRoutes,
  ...volumeRoutes,
];
