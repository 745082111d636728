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
import { builderCommand } from './builder';
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
import { runCommand } from './run';
import { createCommand } from './create';
import { startCommand } from './start';
import { stopCommand } from './stop';
import { restartCommand } from './restart';
import { killCommand } from './kill';
import { rmCommand } from './rm';
import { psCommand } from './ps';
import { execCommand } from './exec';
import { logsCommand } from './logs';
import { inspectCommand } from './inspect';
import { topCommand } from './top';
import { statsCommand } from './stats';
import { waitCommand } from './wait';
import { pauseCommand } from './pause';
import { unpauseCommand } from './unpause';
import { attachCommand } from './attach';
import { volumeCommand } from './volume';
import { portCommand } from './port';
import { cpCommand } from './cp';
import { renameCommand } from './rename';
import { updateCommand } from './update';

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
  builderCommand,
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
  runCommand,
  createCommand,
  startCommand,
  stopCommand,
  restartCommand,
  killCommand,
  rmCommand,
  psCommand,
  execCommand,
  logsCommand,
  inspectCommand,
  topCommand,
  statsCommand,
  waitCommand,
  pauseCommand,
  unpauseCommand,
  attachCommand,
  volumeCommand,
  portCommand,
  cpCommand,
  renameCommand,
  updateCommand,
];
