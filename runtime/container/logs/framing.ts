// Docker's multiplexed stream framing, used by attach and logs when there is no TTY: each frame
// is an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr), three zero bytes, the payload
// length as a big-endian uint32 — then the payload (Engine API, "Attach to a container").

export type StreamId = 0 | 1 | 2;
export const STREAM_IDS = { stdin: 0, stdout: 1, stderr: 2 } as const;
const HEADER = 8;
const MAX_FRAME = 0xffffffff;

export function encodeFrame(stream: StreamId, payload: Buffer | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  if (data.length > MAX_FRAME) throw new Error(`frame payload of ${data.length} bytes is too large`);
  const header = Buffer.alloc(HEADER);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** Incremental decoder: push() any chunking of the byte stream, get whole frames back. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ stream: StreamId; data: Buffer }> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Array<{ stream: StreamId; data: Buffer }> = [];
    while (this.buf.length >= HEADER) {
      const stream = this.buf[0];
      if (stream > 2 || this.buf[1] !== 0 || this.buf[2] !== 0 || this.buf[3] !== 0) {
        throw new Error(`invalid stream frame header ${this.buf.subarray(0, HEADER).toString('hex')}`);
      }
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < HEADER + len) break;
      out.push({ stream: stream as StreamId, data: this.buf.subarray(HEADER, HEADER + len) });
      this.buf = this.buf.subarray(HEADER + len);
    }
    return out;
  }

  /** Bytes of an unfinished frame still held (non-zero at end of stream = truncated). */
  get pending(): number {
    return this.buf.length;
  }
}
