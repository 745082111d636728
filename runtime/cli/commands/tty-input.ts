// Input typed (or sent) before the CLI puts its terminal in raw mode. In canonical mode the
// kernel's line discipline stores an end-of-file (^D) as a marker byte '\0' in its read buffer
// and a read() returns up to that marker without it. Turning ICANON off makes the buffer's
// contents plain bytes (n_tty_set_termios), so a ^D still unread at that moment would be read
// in raw mode as a NUL and sent to the container, whose terminal echoes it as "^@". That is
// the stray NUL of `exec -it` under `script` (which sends ^D when its stdin ends) and of a user
// who presses ^D while the CLI is connecting. So the CLI reads whatever complete lines and
// markers are pending before the switch, and forwards a marker as the ^D byte it stood for,
// which the container's terminal turns into an end-of-file of its own (as in raw mode).
import fs from 'node:fs';

/** The terminal's EOF character (termios VEOF, ^D unless someone changed it). */
export const EOF_CHAR = 0x04;
const O_NONBLOCK = 0o4000;
/**
 * A hung-up terminal reads 0 for ever, which looks like one ^D after another: stop after this
 * many in a row (nobody types more while the CLI connects), and after MAX_READS in all.
 */
const MAX_EOFS = 8;
const MAX_READS = 256;

/**
 * The bytes of pending canonical reads, with each end-of-file turned back into EOF_CHAR.
 * `read` is one read(2) into `buf` (0 at a marker or hang-up); it throws EAGAIN when nothing
 * complete is pending. A canonical read returns one line: ending in '\n' (or the EOL
 * characters), or cut at an end-of-file marker, which it consumes.
 */
export function takePendingInput(read: (buf: Buffer) => number, eol: readonly number[] = [0x0a]): Buffer {
  const out: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024); // > N_TTY_BUF_SIZE: a read returns a whole line
  let eofs = 0;
  for (let i = 0; i < MAX_READS && eofs < MAX_EOFS; i++) {
    let n: number;
    try {
      n = read(buf);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw err;
    }
    if (n > 0) out.push(Buffer.from(buf.subarray(0, n)));
    if (n === 0 || !eol.includes(buf[n - 1])) out.push(Buffer.of(EOF_CHAR));
    eofs = n === 0 ? eofs + 1 : 0;
  }
  return Buffer.concat(out);
}

/** O_NONBLOCK of `fd`, from /proc/self/fdinfo (a blocking fd must not be read here: it would wait for a line). */
export function isNonBlocking(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & O_NONBLOCK) !== 0;
  } catch {
    return false;
  }
}

/**
 * What a terminal on `fd` holds before raw mode (see the header). Empty when the fd is
 * blocking: Node's tty.ReadStream makes a terminal's fd non-blocking, and without that a read
 * would wait for the next line.
 */
export function drainCanonicalInput(fd: number): Buffer {
  if (!isNonBlocking(fd)) return Buffer.alloc(0);
  try {
    return takePendingInput((buf) => fs.readSync(fd, buf, 0, buf.length, null));
  } catch {
    return Buffer.alloc(0); // EIO of a hung-up terminal and the like: nothing to forward
  }
}
