// slipway.restartContainer: POST /containers/{id}/restart.
import { containerAction } from './containerAction';

export const restartContainer = containerAction('slipway.restartContainer', 'restarted', 'restart', () => true);
