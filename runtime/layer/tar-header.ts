// Deterministic tar headers (POSIX ustar + PAX extended headers), pure.
//
// Normalised as BuildKit/Go's archive/tar do for reproducible layers: uname/gname empty, numeric
// uid/gid, whole-second mtimes, permission + setuid/setgid/sticky bits only, no atime/ctime.
// Whatever a ustar field cannot hold (a path > 100 bytes, a size ≥ 8 GiB, a uid > 2097151,
// xattrs) goes into a PAX 'x' record before the entry, and the ustar field is zeroed.
// Spec: POSIX.1-2008 pax, https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html
import { InvalidArgumentError } from '../errors';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

const TYPEFLAG: Record<TarEntryType, string> = {
  file: '0', link: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6',
};

/** One entry as Slipway writes it. `path` is relative, '/'-separated, no leading "./". */
export interface TarEntry {
  path: string;
  type: TarEntryType;
  /** Permission bits with setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content; 0 for everything but files. */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Target of a symlink, or the earlier path of a hard link. */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes, e.g. "security.capability". */
  xattrs?: Record<string, Buffer>;
}

const USTAR_MAX = { name: 100, linkname: 100, octal8: 0o7777777, size: 0o77777777777, mtime: 0o77777777777 };

/** The header block(s) for an entry: an optional PAX header + data, then the ustar block. */
export function encodeHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (name === '' || name.startsWith('/')) throw new InvalidArgumentError(`tar entry path "${entry.path}" must be relative and non-empty`);
  const pax: [string, Buffer][] = [];
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  const fits = (s: string, max: number) => (isPlainAscii(s) ? s.length <= max : Buffer.byteLength(s) <= max && !s.includes('\0'));
  if (!fits(name, USTAR_MAX.name)) pax.push(['path', utf8(name)]);
  const link = entry.linkname ?? '';
  if (!fits(link, USTAR_MAX.linkname)) pax.push(['linkpath', utf8(link)]);
  if (entry.size > USTAR_MAX.size) pax.push(['size', utf8(String(entry.size))]);
  if (entry.uid > USTAR_MAX.octal8) pax.push(['uid', utf8(String(entry.uid))]);
  if (entry.gid > USTAR_MAX.octal8) pax.push(['gid', utf8(String(entry.gid))]);
  if (entry.mtime < 0 || entry.mtime > USTAR_MAX.mtime) pax.push(['mtime', utf8(String(entry.mtime))]);
  // Sorted so that the same xattrs always encode to the same bytes.
  for (const key of Object.keys(entry.xattrs ?? {}).sort()) {
    pax.push([`SCHILY.xattr.${key}`, entry.xattrs![key]]);
  }
  const inPax = pax.length === 0 ? NOTHING : new Set(pax.map(([k]) => k));

  const block = Buffer.allocUnsafe(BLOCK);
  USTAR_TEMPLATE.copy(block); // zeros and the magic
  writeString(block, 0, 100, inPax.has('path') ? truncateUtf8(name, 100) : name);
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeOctal(block, 108, 8, inPax.has('uid') ? 0 : entry.uid);
  writeOctal(block, 116, 8, inPax.has('gid') ? 0 : entry.gid);
  writeOctal(block, 124, 12, inPax.has('size') ? 0 : entry.size);
  writeOctal(block, 136, 12, inPax.has('mtime') ? 0 : entry.mtime);
  block[156] = TYPEFLAG[entry.type].charCodeAt(0);
  writeString(block, 157, 100, inPax.has('linkpath') ? truncateUtf8(link, 100) : link);
  if (entry.type === 'char' || entry.type === 'block') {
    writeOctal(block, 329, 8, entry.devmajor ?? 0);
    writeOctal(block, 337, 8, entry.devminor ?? 0);
  }
  writeChecksum(block);
  if (pax.length === 0) return block;

  const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)));
  const paxHeader = Buffer.alloc(BLOCK);
  // Go's archive/tar names the record "dir/PaxHeaders.0/base"; any name works for readers.
  const slash = name.replace(/\/$/, '').lastIndexOf('/');
  const paxName = truncateUtf8(`${slash >= 0 ? name.slice(0, slash + 1) : ''}PaxHeaders.0/${name.replace(/\/$/, '').slice(slash + 1)}`, 100);
  writeString(paxHeader, 0, 100, paxName);
  writeOctal(paxHeader, 100, 8, 0o644);
  writeOctal(paxHeader, 108, 8, 0);
  writeOctal(paxHeader, 116, 8, 0);
  writeOctal(paxHeader, 124, 12, body.length);
  writeOctal(paxHeader, 136, 12, 0);
  paxHeader.write('x', 156, 'latin1');
  paxHeader.write('ustar\x0000', 257, 'latin1');
  writeChecksum(paxHeader);
  return Buffer.concat([paxHeader, body, Buffer.alloc(padding(body.length)), block]);
}

/** Zero bytes that follow `size` bytes of content to the next block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/**
 * One PAX record, "LEN key=value\n", where LEN counts the bytes of the whole record including
 * its own digits. Values are bytes: paths are UTF-8, xattr values are binary.
 */
export function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
  let len = rest.length + String(rest.length).length;
  if (String(len).length !== String(len - rest.length).length) len = rest.length + String(len).length;
  return Buffer.concat([Buffer.from(String(len)), rest]);
}

// Headers are written byte by byte in JS for the common case (ASCII names, non-negative numbers):
// profiling 10,000 small files showed the per-field Buffer.from/write calls into C++ at about a
// tenth of the layer writer's time. Other values take the general path; the bytes are the same.

const NOTHING: ReadonlySet<string> = new Set();
const USTAR_TEMPLATE = (() => {
  const b = Buffer.alloc(BLOCK);
  b.write('ustar\x0000', 257, 'latin1');
  return b;
})();

/** True for strings of 0x01-0x7f only: one byte per character in UTF-8, no NUL. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  if (value.length <= length && isPlainAscii(value)) {
    for (let i = 0; i < value.length; i++) buf[offset + i] = value.charCodeAt(i);
    return;
  }
  const bytes = Buffer.from(value, 'utf8');
  bytes.copy(buf, offset, 0, Math.min(length, bytes.length));
}

function truncateUtf8(s: string, max: number): string {
  let b = Buffer.from(s, 'utf8');
  if (b.length <= max) return s;
  b = b.subarray(0, max);
  // Do not leave half a multi-byte character behind.
  while (b.length > 0 && (b[b.length - 1] & 0xc0) === 0x80) b = b.subarray(0, b.length - 1);
  if (b.length > 0 && b[b.length - 1] >= 0xc0) b = b.subarray(0, b.length - 1);
  return b.toString('utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits, zero-padded, then NUL (as Go and GNU tar write them).
  let v = Math.floor(value);
  if (v >= 0 && v < 8 ** (length - 1)) {
    // Division, not bit shifts: sizes and times exceed 32 bits.
    for (let i = offset + length - 2; i >= offset; i--) {
      buf[i] = 0x30 + (v % 8);
      v = Math.floor(v / 8);
    }
    buf[offset + length - 1] = 0;
    return;
  }
  const digits = Math.floor(value).toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new InvalidArgumentError(`tar header value ${value} does not fit in ${length - 1} octal digits`);
  buf.write(digits, offset, length - 1, 'latin1');
  buf[offset + length - 1] = 0;
}

function writeChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i];
  writeOctal(block, 148, 7, sum); // six digits and a NUL (the sum of 512 bytes is < 8^6)
  block[155] = 0x20;
}
