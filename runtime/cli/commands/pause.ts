// slipway pause: Pause all processes within one or more containers (docker pause).
import { containerActionCommand } from './container-io';

export const pauseCommand = containerActionCommand('pause', 'Pause all processes within one or more containers');
