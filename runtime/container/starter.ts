// The real Starter for the lifecycle manager: runtime/container/start's startContainer with the
// service's syscalls. Kept apart from manager.ts so the manager's unit tests never load it.
import type { Syscalls } from '../linux/syscalls';
import type { Starter } from './manager-types';
import { startContainer, type StartOptions } from './start/start';

export function createStarter(sys: Syscalls, opts: Omit<StartOptions, 'sys' | 'cgroupProcs'> = {}): Starter {
  return { start: (spec, o) => startContainer(spec, { ...opts, sys, cgroupProcs: o.cgroupProcs }) };
}
