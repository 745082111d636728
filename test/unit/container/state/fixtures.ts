// A container record for tests, built through the real merge so it has the real shape.
import { mergeCreateRequest, type CreateRequest } from '../../../../runtime/container/config';
import { newState, type ContainerRecord } from '../../../../runtime/container/state';

export function makeRecord(id: string, name: string, overrides: Partial<ContainerRecord> = {}, body: CreateRequest = { Image: 'busybox', Cmd: ['sh', '-c', 'sleep 1'] }): ContainerRecord {
  const merged = mergeCreateRequest(body, {}, { id, hostCpus: 2, hostHostname: 'h' });
  return {
    version: 1, id, name, created: '2026-01-01T00:00:00.000Z', image: 'busybox', imageId: `sha256:${'b'.repeat(64)}`,
    config: merged.config, hostConfig: merged.hostConfig, path: merged.path, args: merged.args,
    state: newState(), mounts: [], ports: [], restartCount: 0, logPath: `/state/containers/${id}/json.log`,
    ...overrides,
  };
}
