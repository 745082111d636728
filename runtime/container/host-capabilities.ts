// The capabilities this service process holds in its bounding set: what "all capabilities"
// means for --privileged, --cap-add ALL and exec --privileged (moby caps.GetAllCapabilities).
// Read once: a process's bounding set can only shrink, and the service never drops its own.
import fs from 'node:fs';
import { parseCapabilityMask } from './config';

let cached: readonly string[] | undefined;

export function ownBoundingCapabilities(): readonly string[] {
  cached ??= parseCapabilityMask(fs.readFileSync('/proc/self/status', 'utf8'));
  return cached;
}
