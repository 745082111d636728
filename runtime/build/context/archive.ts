// ADD's auto-extraction decision, as Docker makes it: a local source is unpacked when it is a
// tar archive, plain or compressed (gzip, bzip2, xz, zstd). The compression is recognised by
// its magic bytes; the (decompressed) first 512-byte block must then be a valid tar header,
// otherwise the file is copied as it is.

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const MAGIC: Array<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** The compression named by the first bytes of a file ('none' when no magic matches). */
export function detectCompression(head: Uint8Array): Compression {
  for (const [kind, magic] of MAGIC) if (magic.every((b, i) => head[i] === b)) return kind;
  return 'none';
}

/**
 * Whether a 512-byte block is a tar header: the checksum field (octal, bytes 148–155) equals
 * the sum of the header bytes with the checksum field counted as spaces. This accepts ustar,
 * GNU and old v7 headers alike, as Go's archive/tar does.
 */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const field = Buffer.from(block.subarray(148, 156)).toString('latin1').replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === parseInt(field, 8);
}
