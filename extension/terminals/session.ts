// The byte side of a container terminal, without vscode (unit-tested with fake streams;
// streamTerminal.ts adapts it to a vscode.Pseudoterminal). Bound to a container's stream: an
// attach or exec socket (hijacked HTTP, two-way) or a logs response (one-way). With a TTY the bytes are the terminal's own;
// without one they are Docker's multiplexed frames and bare LFs. Closing the terminal detaches
// (ends our socket): the container keeps running. When the process ends the exit code is shown
// and the terminal stays open until a key is pressed, so the last output can be read.
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { describe } from '../../runtime/errors';
import { Demuxer, toTerminalNewlines } from './demux';

export interface TerminalSize {
  rows: number;
  columns: number;
}

/** Where the session's output goes: the terminal's screen, and its closing. */
export interface TerminalSink {
  write(text: string): void;
  close(exitCode: number | undefined): void;
}

export interface TerminalStream {
  output: Readable;
  /** Absent for read-only streams (logs). */
  input?: Writable;
  /** Ends the stream from our side (detach), never the process. */
  close(): void;
}

export interface StreamTerminalOptions {
  /** Opens the stream once the terminal has its size. */
  connect(dimensions: TerminalSize | undefined): Promise<TerminalStream>;
  /** Raw TTY bytes (true) or multiplexed frames (false). */
  tty: boolean;
  resize?(dimensions: TerminalSize): Promise<void>;
  /** Asked when the stream ends by itself: the process's exit code, when there is one. */
  exitCode?(): Promise<number | undefined>;
  /** What to say when the stream ends without an exit code (e.g. "end of logs"). */
  endMessage?: string;
}

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;

export class TerminalSession {
  private stream: TerminalStream | undefined;
  private detached = false;
  private ended = false;
  private exit: number | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly demuxer = new Demuxer();
  private lastWasCr = false;

  constructor(private readonly options: StreamTerminalOptions, private readonly sink: TerminalSink) {}

  open(dimensions: TerminalSize | undefined): void {
    this.options.connect(dimensions).then((stream) => {
      if (this.detached) return stream.close();
      this.stream = stream;
      stream.output.on('data', (chunk: Buffer) => this.output(chunk));
      stream.output.on('error', (err) => this.write(`\r\n${describe(err)}\r\n`));
      stream.output.on('close', () => void this.streamEnded());
      stream.output.on('end', () => void this.streamEnded());
    }, (err) => {
      this.write(`\x1b[31m${describe(err)}\x1b[0m\r\n`);
      this.ended = true;
      this.write(dim('press any key to close') + '\r\n');
    });
  }

  /** Keys typed in the terminal. */
  input(data: string): void {
    if (this.ended) {
      this.sink.close(this.exit);
      return;
    }
    const input = this.stream?.input;
    if (!input) return;
    if (this.options.tty) {
      input.write(data);
      return;
    }
    // No TTY, no line discipline: echo locally and send Enter as a newline.
    this.write(data.replace(/\r/g, '\r\n'));
    input.write(data.replace(/\r/g, '\n'));
  }

  resize(dimensions: TerminalSize): void {
    if (!this.options.tty || !this.options.resize || this.ended) return;
    this.options.resize(dimensions).catch(() => { /* the process may have just ended */ });
  }

  close(): void {
    // The user closed the terminal: detach only.
    this.detached = true;
    this.stream?.close();
  }

  private output(chunk: Buffer): void {
    if (this.options.tty) {
      this.write(this.decoder.write(chunk));
      return;
    }
    try {
      for (const f of this.demuxer.push(chunk)) {
        const converted = toTerminalNewlines(f.data.toString('utf8'), this.lastWasCr);
        this.lastWasCr = converted.lastWasCr;
        this.write(f.stream === 'stderr' ? `\x1b[31m${converted.text}\x1b[0m` : converted.text);
      }
    } catch (err) {
      this.write(`\r\n${describe(err)}\r\n`);
      this.stream?.close();
    }
  }

  private async streamEnded(): Promise<void> {
    if (this.ended || this.detached) return;
    this.ended = true;
    let exit: number | undefined;
    try {
      exit = await this.options.exitCode?.();
    } catch {
      exit = undefined;
    }
    this.exit = exit;
    const what = exit !== undefined ? `process exited with code ${exit}` : (this.options.endMessage ?? 'stream ended');
    this.write(`\r\n${dim(`[${what}] press any key to close`)}\r\n`);
  }

  private write(text: string): void {
    if (text) this.sink.write(text);
  }
}
