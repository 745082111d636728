// Container record → the JSON Docker's API gives: GET /containers/{id}/json (inspect) and
// GET /containers/json (list), with the same field names and the same human "Status" text.
import { listPorts, networkSettingsPorts } from '../config';
import { ZERO_TIME, type ContainerRecord } from './record';

/** go-units HumanDuration, which Docker uses for "Up 5 minutes" and "Exited (0) 2 hours ago". */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

/** Docker's State.String(). */
export function statusText(rec: ContainerRecord, now: number = Date.now()): string {
  const st = rec.state;
  const since = (t: string) => humanDuration(now - Date.parse(t));
  switch (st.status) {
    case 'running':
      // State.String() with Health.String(): "Up 3 seconds (healthy)", "(health: starting)".
      if (st.health) return `Up ${since(st.startedAt)} (${st.health.Status === 'starting' ? 'health: starting' : st.health.Status})`;
      return `Up ${since(st.startedAt)}`;
    case 'paused':
      return `Up ${since(st.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${st.exitCode}) ${since(st.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    case 'exited':
      return st.finishedAt === ZERO_TIME ? '' : `Exited (${st.exitCode}) ${since(st.finishedAt)} ago`;
  }
}

export function inspectJson(rec: ContainerRecord, extra: { execIds?: string[]; stateDir?: string } = {}) {
  const st = rec.state;
  const running = st.status === 'running' || st.status === 'paused' || st.status === 'restarting';
  return {
    Id: rec.id,
    Created: rec.created,
    Path: rec.path,
    Args: rec.args,
    State: {
      Status: st.status,
      Running: running,
      Paused: st.status === 'paused',
      Restarting: st.status === 'restarting',
      OOMKilled: st.oomKilled,
      Dead: st.status === 'dead',
      Pid: running ? st.pid : 0,
      ExitCode: st.exitCode,
      Error: st.error,
      StartedAt: st.startedAt,
      FinishedAt: st.finishedAt,
      ...(st.health ? { Health: st.health } : {}),
    },
    Image: rec.imageId,
    // The container's own copies, in its init layer, bound over /etc/* inside (init-layer.ts).
    ResolvConfPath: extra.stateDir ? `${extra.stateDir}/init/etc/resolv.conf` : '',
    HostnamePath: extra.stateDir ? `${extra.stateDir}/init/etc/hostname` : '',
    HostsPath: extra.stateDir ? `${extra.stateDir}/init/etc/hosts` : '',
    LogPath: rec.logPath,
    Name: `/${rec.name}`,
    RestartCount: rec.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: extra.execIds?.length ? extra.execIds : null,
    HostConfig: rec.hostConfig,
    GraphDriver: {
      Name: 'overlay2',
      Data: rec.rootfs
        ? { LowerDir: rec.rootfs.lowerDirs.join(':'), UpperDir: rec.rootfs.upperDir, MergedDir: rec.rootfs.mergedDir, WorkDir: rec.rootfs.workDir }
        : null,
    },
    Mounts: rec.mounts,
    Config: rec.config,
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      SandboxKey: running && st.pid ? `/proc/${st.pid}/ns/net` : '',
      Ports: networkSettingsPorts(rec.config.ExposedPorts, running ? rec.ports : []),
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      MacAddress: '',
      Networks: {},
    },
  };
}

export function listJson(rec: ContainerRecord, now: number = Date.now()) {
  const running = rec.state.status === 'running' || rec.state.status === 'paused';
  return {
    Id: rec.id,
    Names: [`/${rec.name}`],
    Image: rec.image,
    ImageID: rec.imageId,
    Command: [rec.path, ...rec.args].join(' '),
    Created: Math.floor(Date.parse(rec.created) / 1000),
    Ports: listPorts(rec.config.ExposedPorts, running ? rec.ports : []),
    Labels: rec.config.Labels ?? {},
    State: rec.state.status,
    Status: statusText(rec, now),
    HostConfig: { NetworkMode: rec.hostConfig.NetworkMode },
    NetworkSettings: { Networks: {} },
    Mounts: rec.mounts,
  };
}
