// Lists the entry names of a zip archive (a .vsix) from its central directory, so the package
// script can check what it made without a zip dependency. Handles what vsce writes: no zip64,
// an end-of-central-directory record at most 64 KiB (its comment) from the end.
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** @param {Buffer} buf the whole archive @returns {string[]} entry names in archive order */
export function listZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`zip central directory entry ${n} is corrupt at offset ${at}`);
    const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}
