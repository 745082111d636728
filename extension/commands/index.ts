// One registration table for every command; one file per command beside it.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { Command } from './command';
import { attachContainer } from './attachContainer';
import { attachShell } from './attachShell';
import { buildAndRun } from './buildAndRun';
import { buildImage } from './buildImage';
import { inspectContainer } from './inspectContainer';
import { inspectImage } from './inspectImage';
import { removeContainer } from './removeContainer';
import { removeImage } from './removeImage';
import { restartContainer } from './restartContainer';
import { restartService } from './restartService';
import { runImage } from './runImage';
import { showContainerLogs } from './showContainerLogs';
import { showImageLayers } from './showImageLayers';
import { showLogs } from './showLogs';
import { showServiceInfo } from './showServiceInfo';
import { startContainer } from './startContainer';
import { stopContainer } from './stopContainer';

/** Every command the extension contributes (package.json's contributes.commands lists the same ids). */
export const commands: readonly Command[] = [
  showServiceInfo,
  restartService,
  showLogs,
  // Build / run / attach (extension/views, extension/preview, extension/terminals).
  buildImage,
  buildAndRun,
  runImage,
  showImageLayers,
  inspectImage,
  removeImage,
  startContainer,
  stopContainer,
  restartContainer,
  removeContainer,
  attachContainer,
  attachShell,
  showContainerLogs,
  inspectContainer,
];

export function registerCommands(context: vscode.ExtensionContext, services: Services): void {
  for (const command of commands) {
    context.subscriptions.push(vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.run(services, context, ...args)));
  }
}
