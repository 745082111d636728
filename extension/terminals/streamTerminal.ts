// A vscode.Pseudoterminal over a TerminalSession (session.ts holds the byte handling).
import * as vscode from 'vscode';
import { TerminalSession, type StreamTerminalOptions } from './session';

export type { StreamTerminalOptions, TerminalStream } from './session';

export class StreamTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly session: TerminalSession;

  constructor(options: StreamTerminalOptions) {
    this.session = new TerminalSession(options, {
      write: (text) => this.writeEmitter.fire(text),
      close: (code) => this.closeEmitter.fire(code),
    });
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.session.open(dimensions);
  }

  handleInput(data: string): void {
    this.session.input(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.session.resize(dimensions);
  }

  /** The user closed the terminal: detach (the container keeps running). */
  close(): void {
    this.session.close();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
