// slipway.startContainer: POST /containers/{id}/start.
import { containerAction } from './containerAction';

export const startContainer = containerAction('slipway.startContainer', 'started', 'start', (c) => c.state !== 'running');
