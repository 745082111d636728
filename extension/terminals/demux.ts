// Docker's multiplexed attach/exec/logs stream for containers without a TTY: every frame is an
// 8-byte header [stream, 0, 0, 0, size (uint32 big-endian)] followed by `size` bytes. With a TTY
// the stream is raw bytes instead. Frames may be split across (or packed into) socket chunks,
// so the parser keeps what it has not finished. No vscode here: unit-tested as is.
// https://docs.docker.com/reference/api/engine/version/v1.45/#tag/Container/operation/ContainerAttach

export type StreamKind = 'stdin' | 'stdout' | 'stderr';

export interface Frame {
  stream: StreamKind;
  data: Buffer;
}

const KINDS: Record<number, StreamKind> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };
const HEADER = 8;

export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the frames completed by them. A bad header throws, naming the byte. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    let at = 0;
    while (this.pending.length - at >= HEADER) {
      const kind = KINDS[this.pending[at]];
      if (!kind || this.pending[at + 1] !== 0 || this.pending[at + 2] !== 0 || this.pending[at + 3] !== 0) {
        throw new Error(`invalid multiplexed stream header at byte ${at}: ${this.pending.subarray(at, at + HEADER).toString('hex')}`);
      }
      const size = this.pending.readUInt32BE(at + 4);
      if (this.pending.length - at - HEADER < size) break;
      frames.push({ stream: kind, data: this.pending.subarray(at + HEADER, at + HEADER + size) });
      at += HEADER + size;
    }
    this.pending = this.pending.subarray(at);
    return frames;
  }

  /** Bytes of a frame not yet complete (non-zero when a stream ends mid-frame). */
  get buffered(): number {
    return this.pending.length;
  }
}

/** One frame as the server writes it (for tests and fakes). */
export function frame(stream: StreamKind, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(HEADER);
  header[0] = stream === 'stdin' ? 0 : stream === 'stdout' ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/**
 * A terminal expects CRLF; a process without a TTY writes bare LF (no line discipline turns
 * it into CRLF). Converts LF not already preceded by CR; `lastWasCr` carries across chunks.
 */
export function toTerminalNewlines(text: string, lastWasCr = false): { text: string; lastWasCr: boolean } {
  let out = '';
  let prevCr = lastWasCr;
  for (const ch of text) {
    if (ch === '\n' && !prevCr) out += '\r';
    out += ch;
    prevCr = ch === '\r';
  }
  return { text: out, lastWasCr: prevCr };
}
