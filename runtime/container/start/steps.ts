// Locating set-up failures: each step of the init runs inside `step(name, path, fn)`, so an
// EPERM deep in a mount becomes `mount /proc: mount("proc", ...) failed: EPERM` with the step,
// the container path and the errno name kept as data for the parent.
import { SyscallError } from '../../linux/syscalls';
import type { FailureReport } from './protocol';

export class StepError extends Error {
  constructor(readonly report: FailureReport, options?: { cause?: unknown }) {
    super(report.message, options);
  }
}

export function step<T>(name: string, where: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StepError) throw err;
    throw new StepError(failureOf(name, where, err), { cause: err });
  }
}

export function failureOf(name: string, where: string | undefined, err: unknown, exitCode = 1): FailureReport {
  const detail = err instanceof Error ? err.message : String(err);
  const code = err instanceof SyscallError ? err.code : (err as { code?: unknown })?.code;
  return {
    step: name,
    path: where,
    code: typeof code === 'string' ? code : undefined,
    message: `container setup failed: ${name}${where ? ` ${where}` : ''}: ${detail}`,
    exitCode,
  };
}
