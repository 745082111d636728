// Descriptors the service inherited from whatever started it (a shell's fd 251, a terminal
// multiplexer's pipes) would otherwise pass on to every child the service spawns from its main
// thread — git, credential helpers, decompressors — and hold pipes open that their owners
// wait on. A daemon closes them at start, as dockerd's and containerd's launchers do.
//
// Which ones are inherited: libuv and Node open every descriptor of their own with O_CLOEXEC,
// so at start-up a descriptor above stderr WITHOUT close-on-exec came from the parent.
import fs from 'node:fs';

const O_CLOEXEC = 0o2000000;

/** The `flags:` field of a /proc/<pid>/fdinfo/<fd> text (octal), or undefined. */
export function fdinfoFlags(text: string): number | undefined {
  const m = /^flags:\s*([0-7]+)$/m.exec(text);
  return m ? parseInt(m[1], 8) : undefined;
}

/** Closes the inherited descriptors above stderr; returns the ones closed. */
export function closeInheritedFds(procSelf = '/proc/self'): number[] {
  const closed: number[] = [];
  let fds: string[];
  try {
    fds = fs.readdirSync(`${procSelf}/fd`);
  } catch {
    return closed;
  }
  for (const name of fds) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    let flags: number | undefined;
    try {
      flags = fdinfoFlags(fs.readFileSync(`${procSelf}/fdinfo/${fd}`, 'utf8'));
    } catch {
      continue; // the readdir's own descriptor, already closed
    }
    if (flags === undefined || (flags & O_CLOEXEC) !== 0) continue;
    try {
      fs.closeSync(fd);
      closed.push(fd);
    } catch {
      // Not ours to worry about: it is gone either way.
    }
  }
  return closed;
}
