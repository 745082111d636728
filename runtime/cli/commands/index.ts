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
import { buildCommand } from './build';
import { imagesCommand } from './images';
import { imageCommand } from './image';
import { tagCommand } from './tag';
import { rmiCommand } from './rmi';
import { importCommand } from './import';
import { saveCommand } from './save';
import { loadCommand } from './load';
import { historyCommand } from './history';
import { layersCommand } from './layers';
import { systemCommand } from './system';
import { commitCommand } from './commit';
import { diffCommand } from './diff';
import { exportCommand } from './export';

export const commands: Command[] = [
  versionCommand,
  infoCommand,
  serviceCommand,
  lintCommand,
  pullCommand,
  pushCommand,
  loginCommand,
  logoutCommand,
  buildCommand,
  imagesCommand,
  imageCommand,
  tagCommand,
  rmiCommand,
  importCommand,
  saveCommand,
  loadCommand,
  historyCommand,
  layersCommand,
  systemCommand,
  commitCommand,
  diffCommand,
  exportCommand,
];
