// The shape of one command: its id (declared in package.json's contributes.commands) and what
// it does with the services. One file per command; index.ts is the one registration table.
import type * as vscode from 'vscode';
import type { Services } from '../services';

export interface Command {
  id: string;
  run(services: Services, context: vscode.ExtensionContext, ...args: unknown[]): unknown;
}
