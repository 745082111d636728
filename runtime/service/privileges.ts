// Who may run the service. Its work (mounts, namespaces, cgroups) needs root: real root, or
// root inside a user namespace made before Node starts (rootless mode; see DESIGN.md fact 6 —
// a multi-threaded Node cannot make one itself). Inside such a namespace getuid() is 0 too.

export function hasRootPrivileges(getuid: (() => number) | undefined = process.getuid): boolean {
  return getuid?.() === 0;
}

/** What to tell a user who is neither root nor root in a user namespace. */
export function privilegesMessage(what: string): string {
  return [
    `${what} needs root privileges: you are uid ${process.getuid?.() ?? '?'}.`,
    'Either run it as root (for example with sudo), or use rootless mode by starting it as root',
    'inside a user namespace:',
    '  unshare --user --map-root-user --mount slipway service start     (maps your uid only), or',
    '  newuidmap/newgidmap with ranges for your user in /etc/subuid and /etc/subgid (full mapping).',
  ].join('\n');
}
