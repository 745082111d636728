// `docker top`: the host's `ps` output (default "-ef"), restricted to the container's pids,
// as moby's daemon/top_unix.go parses it into {Titles, Processes}.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InvalidArgumentError } from '../errors';

export interface TopResult { Titles: string[]; Processes: string[][] }

export function parsePs(output: string, pids: readonly number[]): TopResult {
  const lines = output.split('\n').filter((l) => l.trim());
  if (lines.length === 0) throw new Error('ps printed nothing');
  const titles = lines[0].trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw new InvalidArgumentError(`couldn't find PID field in ps output`);
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    // The last column (CMD/COMMAND) keeps its spaces.
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    if (wanted.has(Number(row[pidCol]))) processes.push(row);
  }
  return { Titles: titles, Processes: processes };
}

export async function top(pids: readonly number[], psArgs = '-ef'): Promise<TopResult> {
  const args = psArgs.split(/\s+/).filter(Boolean);
  const { stdout } = await promisify(execFile)('ps', args, { maxBuffer: 16 * 1024 * 1024 });
  return parsePs(stdout, pids);
}
