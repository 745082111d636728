// slipway start: Start one or more stopped containers (docker start, without --attach). As the
// docker CLI, each failure is printed when it happens and a last line names them all.
import { containerActionCommand } from './container-io';

export const startCommand = containerActionCommand('start', 'Start one or more stopped containers', {
  failedLine: (failed) => `Error: failed to start containers: ${failed.join(', ')}`,
});
