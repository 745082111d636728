// Streaming tar reader: ustar, PAX (path, linkpath, size, uid, gid, mtime, SCHILY.xattr.* as raw
// bytes), GNU long names ('L'/'K') and base-256 numbers. Written here rather than taken from
// tar-stream because tar-stream decodes PAX values as UTF-8 text, which corrupts binary xattrs
// such as security.capability, and ignores PAX uid/gid/mtime.
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors';
import { BLOCK, padding, type TarEntry, type TarEntryType } from './tar-header';

export interface TarReadEntry {
  entry: TarEntry;
  /** The raw name as stored, before any cleaning (for error messages). */
  rawPath: string;
  /** The entry's content; read it (or not) before asking for the next entry. */
  content: AsyncIterable<Buffer>;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'char', '4': 'block', '5': 'directory', '6': 'fifo',
};

/** Buffered exact-length reads over a byte stream. */
class ByteReader {
  private chunks: Buffer[] = [];
  private available = 0;
  private done = false;
  offset = 0;
  constructor(private readonly iterator: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.available < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) { this.done = true; break; }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      this.chunks.push(chunk);
      this.available += chunk.length;
    }
  }

  /** Exactly n bytes, or fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, Math.min(n, all.length));
    const rest = all.subarray(out.length);
    this.chunks = rest.length ? [rest] : [];
    this.available = rest.length;
    this.offset += out.length;
    return out;
  }

  /** Up to n bytes as they arrive, in chunks of at most `max`. */
  async *stream(n: number, max = 1 << 20): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      await this.fill(1);
      if (this.available === 0) throw new InvalidArgumentError(`tar archive is truncated at byte ${this.offset}`);
      const b = await this.read(Math.min(left, this.available, max));
      left -= b.length;
      yield b;
    }
  }
}

function cstring(buf: Buffer): Buffer {
  const nul = buf.indexOf(0);
  return nul >= 0 ? buf.subarray(0, nul) : buf;
}

/** An octal or (GNU) base-256 numeric field. */
export function parseNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    let v = BigInt(field[0] & 0x3f);
    if (field[0] & 0x40) throw new InvalidArgumentError('negative base-256 number in tar header');
    for (let i = 1; i < field.length; i++) v = (v << 8n) | BigInt(field[i]);
    return Number(v);
  }
  const s = cstring(field).toString('latin1').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumber(block.subarray(148, 156));
  let unsigned = 0, signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** PAX records: "LEN key=value\n"; values stay bytes. */
export function parsePax(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(buf.subarray(pos, space).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > buf.length) throw new InvalidArgumentError('malformed PAX record in tar archive');
    const record = buf.subarray(space + 1, pos + len - 1); // drop the trailing "\n"
    const eq = record.indexOf(0x3d);
    if (eq > 0) out.set(record.subarray(0, eq).toString('utf8'), record.subarray(eq + 1));
    pos += len;
  }
  return out;
}

/** Reads entries one by one. Each entry's content must be consumed or is skipped on the next step. */
export async function* readTar(input: Readable | AsyncIterable<Buffer>): AsyncGenerator<TarReadEntry> {
  const reader = new ByteReader((input as AsyncIterable<Buffer>)[Symbol.asyncIterator]());
  let globalPax = new Map<string, Buffer>();
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const at = reader.offset;
    const block = await reader.read(BLOCK);
    if (block.length === 0) return; // some writers omit the end blocks
    if (block.length < BLOCK) throw new InvalidArgumentError(`tar archive is truncated at byte ${at}`);
    if (block.every((b) => b === 0)) {
      // Read to the end (the second zero block, record padding) so that whoever hashes the
      // stream (a diffID check) sees every byte.
      while ((await reader.read(1 << 20)).length > 0) { /* drain */ }
      return;
    }
    if (!checksumOk(block)) throw new InvalidArgumentError(`invalid tar header checksum at byte ${at}`);
    const flag = String.fromCharCode(block[156]);
    let size = parseNumber(block.subarray(124, 136));
    const readAll = async () => {
      const parts: Buffer[] = [];
      for await (const c of reader.stream(size)) parts.push(c);
      await reader.read(padding(size));
      return Buffer.concat(parts);
    };
    if (flag === 'x') { pax = new Map([...pax, ...parsePax(await readAll())]); continue; }
    if (flag === 'g') { globalPax = new Map([...globalPax, ...parsePax(await readAll())]); continue; }
    if (flag === 'L') { longName = cstring(await readAll()).toString('utf8'); continue; }
    if (flag === 'K') { longLink = cstring(await readAll()).toString('utf8'); continue; }
    const records = new Map([...globalPax, ...pax]);
    pax = new Map();

    const ustar = block.subarray(257, 263).toString('latin1') === 'ustar\0';
    const prefix = ustar ? cstring(block.subarray(345, 500)).toString('utf8') : '';
    let name = cstring(block.subarray(0, 100)).toString('utf8');
    if (prefix) name = `${prefix}/${name}`;
    let linkname = cstring(block.subarray(157, 257)).toString('utf8');
    if (longName !== undefined) { name = longName; longName = undefined; }
    if (longLink !== undefined) { linkname = longLink; longLink = undefined; }
    const text = (k: string) => records.get(k)?.toString('utf8');
    name = text('path') ?? name;
    linkname = text('linkpath') ?? linkname;
    if (records.has('size')) size = Number(text('size'));
    const type = TYPES[flag];
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of records) if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice(13)] = v;
    const entry: TarEntry = {
      path: name.length > 1 ? name.replace(/\/+$/, '') : name,
      type: type ?? 'file',
      mode: parseNumber(block.subarray(100, 108)) & 0o7777,
      uid: records.has('uid') ? Number(text('uid')) : parseNumber(block.subarray(108, 116)),
      gid: records.has('gid') ? Number(text('gid')) : parseNumber(block.subarray(116, 124)),
      size: type === 'file' ? size : 0,
      mtime: records.has('mtime') ? Math.floor(Number(text('mtime'))) : parseNumber(block.subarray(136, 148)),
    };
    if (type === 'link' || type === 'symlink') entry.linkname = linkname;
    if (type === 'char' || type === 'block') {
      entry.devmajor = parseNumber(block.subarray(329, 337));
      entry.devminor = parseNumber(block.subarray(337, 345));
    }
    if (Object.keys(xattrs).length > 0) entry.xattrs = xattrs;
    // Unknown types (GNU sparse 'S', volume labels 'V', ...) are skipped like `tar` warns and skips.
    let consumed = false;
    const content: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: async function* () {
        if (consumed) throw new InvalidArgumentError(`content of tar entry ${name} was already read`);
        consumed = true;
        yield* reader.stream(size);
        await reader.read(padding(size));
      },
    };
    if (type) yield { entry, rawPath: name, content };
    if (!consumed) {
      consumed = true;
      for await (const _ of reader.stream(size)) { /* skip */ }
      await reader.read(padding(size));
    }
  }
}
