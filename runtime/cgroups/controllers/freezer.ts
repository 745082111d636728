// Freezer: pause/unpause. v1 writes FROZEN/THAWED to freezer.state and reads back FREEZING
// until every task has stopped; v2 writes 1/0 to cgroup.freeze and reports "frozen 1" in
// cgroup.events once done (Documentation/admin-guide/cgroup-v2.rst, "Core Interface Files").
import { parseKeyValues } from '../fs';
import type { CgroupVersion } from '../types';
import type { CgroupWrite } from './memory';

export const FREEZER_FILES = {
  1: { control: 'freezer.state', state: 'freezer.state' },
  2: { control: 'cgroup.freeze', state: 'cgroup.events' },
} as const;

export function freezeWrite(version: CgroupVersion, frozen: boolean): CgroupWrite {
  if (version === 1) return { file: FREEZER_FILES[1].control, value: frozen ? 'FROZEN' : 'THAWED' };
  return { file: FREEZER_FILES[2].control, value: frozen ? '1' : '0' };
}

/** 'frozen', 'thawed', or 'freezing' (asked to freeze, some tasks still running). */
export function parseFreezerState(version: CgroupVersion, text: string | undefined): 'frozen' | 'thawed' | 'freezing' {
  if (version === 1) {
    const t = (text ?? '').trim();
    return t === 'FROZEN' ? 'frozen' : t === 'FREEZING' ? 'freezing' : 'thawed';
  }
  return parseKeyValues(text).frozen === 1 ? 'frozen' : 'thawed';
}
