// slipway.showLogs: reveals the Slipway output channel.
import type { Command } from './command';

export const showLogs: Command = {
  id: 'slipway.showLogs',
  run({ output }): void {
    output.show(true);
  },
};
