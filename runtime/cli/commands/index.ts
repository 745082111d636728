// Every `slipway` sub-command, one line each. Add a command: one file in this folder, one line here.
import type { Command } from '../command';
import { infoCommand } from './info';
import { serviceCommand } from './service';
import { versionCommand } from './version';
import { lintCommand } from './lint';
import { loginCommand } from './login';
import { logoutCommand } from './logout';
import { pullCommand } from './pull';
import { pushCommand } from './push';

export const commands: Command[] = [
  versionCommand,
  infoCommand,
  serviceCommand,
  lintCommand,
  pullCommand,
  pushCommand,
  loginCommand,
  logoutCommand,
];
