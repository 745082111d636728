// /proc/<pid>/stat, parsed in one place: "pid (comm) state ppid pgrp … starttime …" (proc(5)).
// The command name (field 2) is whatever the process called itself, so it may hold spaces and
// ")" — the fields after it are split at the LAST ")", never at the first space or ")".
import fs from 'node:fs';
import path from 'node:path';

export interface ProcStat {
  /** Field 1. */
  pid: number;
  /** Field 2, without its parentheses. */
  comm: string;
  /** Field 3: R, S, D, T, Z (zombie), X (dead), … */
  state: string;
  /** Field 4. */
  ppid: number;
  /** Field 22: clock ticks after boot; with the pid it names one process for good (pids are reused). */
  startTime: number;
  /** Fields 3 onwards as text: field N (proc(5)'s numbering) is `rest[N - 3]`. */
  rest: string[];
}

/** The parsed text of a /proc/<pid>/stat file, or undefined when it does not have that shape. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 1).trim().split(' ');
  // Fields 3..22 at least: anything shorter is not a stat line.
  if (rest.length < 20) return undefined;
  const pid = Number(text.slice(0, open));
  const ppid = Number(rest[1]);
  const startTime = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(startTime)) return undefined;
  return { pid, comm: text.slice(open + 2, close), state: rest[0]!, ppid, startTime, rest };
}

/**
 * True when the process has ended and only its exit status is left for a parent to collect:
 * state Z (zombie) or X (dead). Signals cannot reach it any more and its pid is not yet free.
 */
export function hasEnded(stat: Pick<ProcStat, 'state'>): boolean {
  return stat.state === 'Z' || stat.state === 'X';
}

/** /proc/<pid>/stat parsed, or undefined when there is no such process (or no /proc). */
export function readProcStat(pid: number | string, procRoot = '/proc'): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(text);
}

/** A process that exists and has not ended (a zombie counts as gone). */
export function isLiveProcess(pid: number, procRoot = '/proc'): boolean {
  const stat = readProcStat(pid, procRoot);
  return stat !== undefined && !hasEnded(stat);
}

/**
 * The start time (field 22) of a process that exists and has not ended, else undefined. A pid
 * alone may have been reused since it was recorded; pid + start time names one process.
 */
export function liveStartTime(pid: number, procRoot = '/proc'): number | undefined {
  const stat = readProcStat(pid, procRoot);
  return stat && !hasEnded(stat) ? stat.startTime : undefined;
}
