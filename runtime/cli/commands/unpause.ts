// slipway unpause: Unpause all processes within one or more containers (docker unpause).
import { containerActionCommand } from './container-io';

export const unpauseCommand = containerActionCommand('unpause', 'Unpause all processes within one or more containers');
