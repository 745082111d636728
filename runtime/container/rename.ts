// `docker rename`: POST /containers/{id}/rename?name=NEW, with moby's daemon/rename.go rules
// and wording. The store checks the name's syntax and that no other container holds it (409,
// the same message as create), inside its per-record write queue, so two renames to one name
// cannot both win. Everything else keys containers by id (cgroups, live state, logs, exec), so
// the record is all that changes; the `rename` event carries the old name as dockerd's does.
import { InvalidArgumentError } from '../errors';
import type { ContainerRecord, ContainerStore } from './state';

export async function renameContainer(
  store: ContainerStore, ref: string, newName: string | undefined,
  publish?: (rec: ContainerRecord, action: string, extra: Record<string, string>) => void,
): Promise<ContainerRecord> {
  if (!ref || !newName) throw new InvalidArgumentError('Neither old nor new names may be empty');
  const rec = store.get(ref);
  const wanted = newName.replace(/^\//, '');
  if (wanted === rec.name) throw new InvalidArgumentError('Renaming a container with the same name as its current name');
  const renamed = await store.update(rec.id, (r) => { r.name = newName; });
  publish?.(renamed, 'rename', { oldName: `/${rec.name}` });
  return renamed;
}
