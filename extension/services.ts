// The explicit services object built in activate() and passed to every feature.
import * as vscode from 'vscode';

export interface Services {
  output: vscode.LogOutputChannel;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Slipway', { log: true });
  context.subscriptions.push(output);
  return { output };
}
