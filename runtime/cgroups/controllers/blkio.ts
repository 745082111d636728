// Block I/O accounting for `docker stats` BLOCK I/O: bytes read and written by the container's
// processes. v1 has the blkio hierarchy (runc reads the CFQ file, then BFQ, then the throttle
// one, whichever the kernel fills); v2 has io.stat. No limits are written (no --device-*-bps yet).
import type { BlkioEntry, CgroupVersion } from '../types';

const BLKIO_FILES = {
  1: ['blkio.io_service_bytes_recursive', 'blkio.bfq.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes_recursive'],
  2: ['io.stat'],
} as const;

/** v1 "8:0 Read 4096" lines (the "Total" summary line has no device and is skipped). Ops stay as the kernel spells them, as in docker's JSON. */
export function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) });
  }
  return out;
}

/** v2 io.stat "8:0 rbytes=4096 wbytes=0 rios=1 …" → docker's read/write entries (moby's statsV2 names them so). */
export function parseIoStatV2(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [device, ...fields] = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(device ?? '');
    if (!dev) continue;
    const kv = new Map(fields.map((f) => f.split('=') as [string, string]));
    for (const [key, op] of [['rbytes', 'read'], ['wbytes', 'write']] as const) {
      const value = Number(kv.get(key));
      if (Number.isFinite(value)) out.push({ major: Number(dev[1]), minor: Number(dev[2]), op, value });
    }
  }
  return out;
}

/** The first of the version's files that has entries; none (no controller) is an empty list. */
export function readBlkioStats(version: CgroupVersion, read: (file: string) => string | undefined): BlkioEntry[] {
  const parse = version === 1 ? parseBlkioV1 : parseIoStatV2;
  for (const file of BLKIO_FILES[version]) {
    const entries = parse(read(file));
    if (entries.length > 0) return entries;
  }
  return [];
}
