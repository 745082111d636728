// `--user uid[:gid]` / `name[:group]` resolved against the image's /etc/passwd and /etc/group,
// the way runc's user.GetExecUser does: names must exist, numbers need not; the primary group
// and HOME come from the passwd entry; supplementary groups are the /etc/group entries that
// list the user by name. `--group-add` (HostConfig.GroupAdd) adds groups on top, as moby's
// getUser does with GetAdditionalGroups: a name or gid found in /etc/group, or any gid.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
  /**
   * The image's /etc/group entries, kept so that --group-add names can be resolved where the
   * spec is built (withGroupAdd) without reading the rootfs again.
   */
  groupTable?: ReadonlyArray<{ name: string; gid: number }>;
}

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

const isId = (s: string) => /^\d+$/.test(s);

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7 || !isId(f[2]) || !isId(f[3])) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] });
  }
  return out;
}

export function parseGroup(text: string | undefined): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !isId(f[2])) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: f[3].split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return out;
}

const MAX_ID = 2 ** 31 - 1;

function checkId(value: string, what: string): number {
  const n = Number(value);
  if (n > MAX_ID) throw new InvalidArgumentError(`${what} ${value} is out of range`);
  return n;
}

/** Resolves a Docker user string ("" means root) against passwd/group file contents. */
export function resolveUser(spec: string, passwdText: string | undefined, groupText: string | undefined): ResolvedUser {
  const [userPart, groupPart, ...rest] = (spec || '0').split(':');
  if (rest.length > 0 || userPart === '') throw new InvalidArgumentError(`invalid user "${spec}": expected user[:group]`);
  const passwd = parsePasswd(passwdText);
  const groups = parseGroup(groupText);

  let entry: PasswdEntry | undefined;
  let uid: number;
  if (isId(userPart)) {
    uid = checkId(userPart, 'uid');
    entry = passwd.find((p) => p.uid === uid);
  } else {
    entry = passwd.find((p) => p.name === userPart);
    if (!entry) throw new InvalidArgumentError(`unable to find user ${userPart}: no matching entries in passwd file`);
    uid = entry.uid;
  }

  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined) {
    if (groupPart === '') throw new InvalidArgumentError(`invalid user "${spec}": empty group`);
    if (isId(groupPart)) gid = checkId(groupPart, 'gid');
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw new InvalidArgumentError(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }

  const additionalGids: number[] = [];
  if (entry) {
    for (const g of groups) {
      if (g.members.includes(entry.name) && g.gid !== gid && !additionalGids.includes(g.gid)) additionalGids.push(g.gid);
    }
  }
  return { uid, gid, additionalGids, home: entry?.home || '/', groupTable: groups.map((g) => ({ name: g.name, gid: g.gid })) };
}

/**
 * The user's supplementary gids with HostConfig.GroupAdd appended (moby/sys/user
 * GetAdditionalGroups): each entry is a group name or gid of the image's /etc/group, or else
 * a number; anything else is Docker's "Unable to find group" error.
 */
export function withGroupAdd(user: ResolvedUser, groupAdd: readonly string[] | null | undefined): number[] {
  const out = [...user.additionalGids];
  for (const entry of groupAdd ?? []) {
    const found = (user.groupTable ?? []).find((g) => g.name === entry || (isId(entry) && g.gid === Number(entry)));
    let gid: number;
    if (found) gid = found.gid;
    else if (isId(entry)) gid = checkId(entry, 'gid');
    else throw new InvalidArgumentError(`Unable to find group ${entry}: no matching entries in group file`);
    if (!out.includes(gid)) out.push(gid);
  }
  return out;
}

/**
 * Reads /etc/passwd and /etc/group from a rootfs given as directories top-most first (overlay
 * lower dirs, or one merged dir). A symlinked or missing file counts as absent: following a
 * link here would read the host's files, not the image's.
 */
export function readUserFiles(dirsTopFirst: readonly string[]): { passwd?: string; group?: string } {
  const read = (rel: string): string | undefined => {
    for (const dir of dirsTopFirst) {
      const p = path.join(dir, rel);
      if (fs.existsSync(path.join(path.dirname(p), `.wh.${path.basename(p)}`))) return undefined;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(p);
      } catch {
        continue;
      }
      // An overlay whiteout (char device 0/0) hides the file of the layers below.
      if (st.isCharacterDevice() && st.rdev === 0) return undefined;
      return st.isFile() ? fs.readFileSync(p, 'utf8') : undefined;
    }
    return undefined;
  };
  return { passwd: read('etc/passwd'), group: read('etc/group') };
}
