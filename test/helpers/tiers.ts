// Test tier guards. Privileged tests need root and a real kernel; where the host cannot run
// them they skip with the reason, except under CI (CI=true), where a skip would hide a broken
// feature: there the reason becomes a failure.
import { test } from 'node:test';

function whyNotRoot(): string | undefined {
  if (process.platform !== 'linux') return 'requires Linux';
  if (process.getuid?.() !== 0) return 'requires root';
  return undefined;
}

/** Options for `test(name, privileged, fn)`: skips with a reason off CI, fails on CI. */
export const privileged: { skip?: string } = guard(whyNotRoot());

/** Same as `privileged`, for tests that need an extra host capability. */
export function requires(reason: string | undefined): { skip?: string } {
  return guard(reason ?? whyNotRoot());
}

function guard(reason: string | undefined): { skip?: string } {
  if (!reason) return {};
  if (process.env.CI === 'true') {
    test(`tier precondition: ${reason}`, () => {
      throw new Error(`CI must run privileged tests but this host says: ${reason}`);
    });
    return {};
  }
  return { skip: reason };
}
