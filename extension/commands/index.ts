// One registration table for every command; one file per command beside it.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { Command } from './command';
import { restartService } from './restartService';
import { showLogs } from './showLogs';
import { showServiceInfo } from './showServiceInfo';

/** Every command the extension contributes (package.json's contributes.commands lists the same ids). */
export const commands: readonly Command[] = [
  showServiceInfo,
  restartService,
  showLogs,
];

export function registerCommands(context: vscode.ExtensionContext, services: Services): void {
  for (const command of commands) {
    context.subscriptions.push(vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.run(services, context, ...args)));
  }
}
