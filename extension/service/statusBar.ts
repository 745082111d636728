// The status bar item: "Slipway <version>" while the service is reachable, a warning otherwise.
import * as vscode from 'vscode';
import type { ServiceConnection } from './connection';
import { presentStatus } from './presentation';

export class ServiceStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly unsubscribe: () => void;

  constructor(connection: ServiceConnection) {
    this.item = vscode.window.createStatusBarItem('slipway.service', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Slipway runtime service';
    this.item.command = 'slipway.showServiceInfo';
    this.show(connection);
    this.unsubscribe = connection.onDidChangeState(() => this.show(connection));
    this.item.show();
  }

  /** The text currently shown (read by the editor tests through the extension's API). */
  get text(): string {
    return this.item.text;
  }

  private show(connection: ServiceConnection): void {
    const p = presentStatus(connection.state, connection.location);
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.backgroundColor = p.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}
