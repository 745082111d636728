// slipway restart: Restart one or more containers (docker restart); same flags as stop.
import { signalThenWaitCommand } from './stop';

export const restartCommand = signalThenWaitCommand('restart', 'Restart one or more containers');
