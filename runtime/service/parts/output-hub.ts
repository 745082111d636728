// Live stdio of running containers for attach: who listens to a container's output, and where
// its stdin goes. The docker CLI's `run` attaches BEFORE it starts the container, so an attach
// must be able to wait for a start; the hub is told about every start (by the starter wrapper
// for the PTY, which sees output before the manager records the start, and by the manager's
// output emitter for files-backed stdio) and hands data to whoever is subscribed then.
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import type { StartedProcess } from '../../container/manager-types';
import type { OutputStream } from '../../container/manager';

export type OutputListener = (stream: 'stdout' | 'stderr', chunk: Buffer) => void;

interface Entry {
  listeners: Set<OutputListener>;
  /** Fired once per run: 'start' (stdin sink ready) and 'end' (the process exited). */
  events: EventEmitter;
  stdin?: Writable;
  running: boolean;
  /** A PTY's data is forwarded by the starter wrapper; the manager's copy is then ignored. */
  tty: boolean;
}

export class OutputHub {
  private readonly entries = new Map<string, Entry>();

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = { listeners: new Set(), events: new EventEmitter(), running: false, tty: false };
      e.events.setMaxListeners(0);
      this.entries.set(id, e);
    }
    return e;
  }

  /** From the starter wrapper: a PTY-backed process started (its output is forwarded at once). */
  terminalStarted(id: string, proc: StartedProcess): void {
    const term = proc.terminal;
    if (!term) return;
    const e = this.entry(id);
    e.tty = true;
    e.stdin = term.input;
    term.output.on('data', (chunk: Buffer) => { for (const l of this.entry(id).listeners) l('stdout', chunk); });
  }

  /** From the manager's start event: the output emitter (and stdin) of the new run. */
  started(id: string, io: { output: OutputStream; stdin?: Writable }): void {
    const e = this.entry(id);
    e.running = true;
    if (!e.tty) {
      e.stdin = io.stdin;
      io.output.on('data', (stream: 'stdout' | 'stderr', chunk: Buffer) => { for (const l of e.listeners) l(stream, chunk); });
    }
    io.output.once('end', () => this.ended(id));
    e.events.emit('start');
  }

  private ended(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.running = false;
    e.stdin = undefined;
    e.tty = false;
    e.events.emit('end');
    if (e.listeners.size === 0) this.entries.delete(id);
  }

  isRunning(id: string): boolean {
    return this.entries.get(id)?.running ?? false;
  }

  stdin(id: string): Writable | undefined {
    return this.entries.get(id)?.stdin;
  }

  /** Subscribes to output; `on.start`/`on.end` follow the container's runs. Returns the unsubscribe. */
  subscribe(id: string, listener: OutputListener, on: { start?: () => void; end?: () => void } = {}): () => void {
    const e = this.entry(id);
    e.listeners.add(listener);
    if (on.start) e.events.on('start', on.start);
    if (on.end) e.events.on('end', on.end);
    return () => {
      e.listeners.delete(listener);
      if (on.start) e.events.off('start', on.start);
      if (on.end) e.events.off('end', on.end);
      if (e.listeners.size === 0 && !e.running) this.entries.delete(id);
    };
  }

  forget(id: string): void {
    const e = this.entries.get(id);
    if (e && !e.running) {
      e.events.emit('end');
      this.entries.delete(id);
    }
  }
}
