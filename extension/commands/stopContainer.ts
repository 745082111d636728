// slipway.stopContainer: POST /containers/{id}/stop (SIGTERM, then SIGKILL after the grace period).
import { containerAction } from './containerAction';

export const stopContainer = containerAction('slipway.stopContainer', 'stopped', 'stop', (c) => c.state === 'running');
