// `docker update`: POST /containers/{id}/update changes a container's resources (cpu shares,
// quota/period, --cpus, memory, memory+swap, reservation, pids limit) and its restart policy.
// The new HostConfig is stored in the record (inspect shows it, the next start applies it) and,
// when the container has a live cgroup, the changed limits are written into it at once.
//
// planUpdate is pure: moby's daemon/update.go rules and wording (a field left 0 is "not
// changed"; PidsLimit null likewise), returning the merged HostConfig and only the limits to
// write. updateContainer applies them.
import type { Cgroups } from '../cgroups';
import { ConflictError, InvalidArgumentError, SlipwayError, statusOf } from '../errors';
import { checkRestartPolicy, type HostConfig } from './config';
import type { LinuxResources } from './spec';
import type { ContainerRecord, ContainerStore } from './state';

/** The body of POST /containers/{id}/update (swagger ContainerUpdate: Resources + RestartPolicy). */
export interface UpdateRequest {
  CpuShares?: number;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  PidsLimit?: number | null;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  // Accepted by the Engine API, not applied by Slipway: refused when set (see UNSUPPORTED).
  BlkioWeight?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  KernelMemory?: number;
  MemorySwappiness?: number | null;
}

/** Fields the docker CLI sends as zero values; a non-zero one asks for something Slipway does not do. */
const UNSUPPORTED: ReadonlyArray<[keyof UpdateRequest, string]> = [
  ['BlkioWeight', '--blkio-weight'],
  ['CpusetCpus', '--cpuset-cpus'],
  ['CpusetMems', '--cpuset-mems'],
  ['CpuRealtimePeriod', '--cpu-rt-period'],
  ['CpuRealtimeRuntime', '--cpu-rt-runtime'],
  ['KernelMemory', '--kernel-memory'],
];

const MIN_MEMORY = 6 * 1024 * 1024;
const DEFAULT_CPU_PERIOD = 100_000;

export interface UpdatePlan<H extends HostConfig = HostConfig> {
  hostConfig: H;
  /** Only what changed, for the live cgroup; undefined when no limit changed. */
  resources: LinuxResources | undefined;
}

const conflict = (message: string) => new ConflictError(message);

/** moby's container update, field by field, with its checks and wording. */
export function planUpdate<H extends HostConfig>(current: H, req: UpdateRequest, host: { cpus: number }): UpdatePlan<H> {
  for (const [field, flag] of UNSUPPORTED) {
    const v = req[field];
    if (v !== undefined && v !== null && v !== 0 && v !== '') throw new InvalidArgumentError(`${flag} (${field}) is not supported by slipway update`);
  }
  const hc: H = structuredClone(current);
  const n = (v: number | undefined) => v ?? 0;
  const nano = n(req.NanoCpus);
  const period = n(req.CpuPeriod);
  const quota = n(req.CpuQuota);
  // NanoCpus and CpuPeriod/CpuQuota are two spellings of one limit: neither replaces the other.
  if (nano > 0 && n(current.CpuPeriod) > 0) throw conflict('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if (nano > 0 && n(current.CpuQuota) > 0) throw conflict('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if (period > 0 && n(current.NanoCpus) > 0) throw conflict('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (quota > 0 && n(current.NanoCpus) > 0) throw conflict('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (nano && (period || quota)) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano < 0 || nano > host.cpus * 1e9) throw new InvalidArgumentError(`Range of CPUs is from 0.01 to ${host.cpus}.00, as there are only ${host.cpus} CPUs available`);
  if (period && (period < 1000 || period > 1_000_000)) throw new InvalidArgumentError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1 second (i.e. 1000000)');
  if (quota > 0 && quota < 1000) throw new InvalidArgumentError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (n(req.CpuShares) < 0) throw new InvalidArgumentError(`invalid CPU shares (${req.CpuShares}): value must be a positive integer`);

  const memory = n(req.Memory);
  const swap = n(req.MemorySwap);
  if (memory !== 0 && memory < MIN_MEMORY) throw new InvalidArgumentError('Minimum memory limit allowed is 6MB');
  // As dockerd: a new memory limit above the memory+swap limit already set (0 = none set yet)
  // must come with a new memory+swap limit.
  if (memory !== 0 && memory > n(current.MemorySwap) && swap === 0) {
    throw conflict('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  const newMemory = memory || n(current.Memory);
  if (swap > 0 && newMemory === 0) throw new InvalidArgumentError('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (swap > 0 && swap < newMemory) throw new InvalidArgumentError('Minimum memoryswap limit should be larger than memory limit, see usage');

  const res: LinuxResources = {};
  if (req.CpuShares) { hc.CpuShares = req.CpuShares; res.cpu = { ...res.cpu, shares: req.CpuShares }; }
  if (nano) {
    hc.NanoCpus = nano;
    res.cpu = { ...res.cpu, period: DEFAULT_CPU_PERIOD, quota: Math.round((nano * DEFAULT_CPU_PERIOD) / 1e9) };
  }
  if (period) { hc.CpuPeriod = period; res.cpu = { ...res.cpu, period, ...(hc.CpuQuota ? { quota: hc.CpuQuota } : {}) }; }
  if (quota) { hc.CpuQuota = quota; res.cpu = { ...res.cpu, quota, ...(hc.CpuPeriod ? { period: hc.CpuPeriod } : {}) }; }
  if (memory) { hc.Memory = memory; res.memory = { ...res.memory, limit: memory }; }
  if (swap) {
    hc.MemorySwap = swap;
    // v2 writes swap alone (swap - memory): the memory limit travels with it.
    res.memory = { ...res.memory, limit: newMemory, swap };
  }
  if (req.MemoryReservation) { hc.MemoryReservation = req.MemoryReservation; res.memory = { ...res.memory, reservation: req.MemoryReservation }; }
  if (req.PidsLimit !== undefined && req.PidsLimit !== null) {
    // 0 and -1 both mean "no limit" (docker 28 stores 0 as unlimited too).
    hc.PidsLimit = req.PidsLimit > 0 ? req.PidsLimit : 0;
    res.pids = { limit: req.PidsLimit > 0 ? req.PidsLimit : -1 };
  }
  if (req.RestartPolicy?.Name) {
    checkRestartPolicy(req.RestartPolicy);
    if (current.AutoRemove && req.RestartPolicy.Name !== 'no') throw new InvalidArgumentError('Restart policy cannot be updated because AutoRemove is enabled for the container');
    hc.RestartPolicy = { Name: req.RestartPolicy.Name, MaximumRetryCount: req.RestartPolicy.MaximumRetryCount ?? 0 };
  }
  return { hostConfig: hc, resources: Object.keys(res).length ? res : undefined };
}

/** What updateContainer works with (the container part's store and cgroups). */
export interface UpdateDeps {
  store: ContainerStore;
  cgroups: Cgroups;
  host: { cpus: number };
  publish?(rec: ContainerRecord, action: string): void;
}

/**
 * Writes the limits into the container's live cgroup (if it has one), then stores the new
 * HostConfig and publishes dockerd's `update` event. A limit the kernel refuses (a memory
 * limit below what the container uses now) fails the update and leaves the record as it was.
 */
export async function updateContainer(deps: UpdateDeps, ref: string, req: UpdateRequest): Promise<{ Warnings: string[] }> {
  const rec = deps.store.get(ref);
  const cannot = (err: unknown) => new SlipwayError(`Cannot update container ${rec.id}: ${(err as Error).message}`, { status: statusOf(err), cause: err });
  if (rec.state.status === 'removing' || rec.state.status === 'dead') throw new ConflictError(`Container ${rec.id} is marked for removal and cannot be "update"`);
  let plan: UpdatePlan<ContainerRecord['hostConfig']>;
  try {
    plan = planUpdate(rec.hostConfig, req, deps.host);
  } catch (err) {
    throw cannot(err);
  }
  if (plan.resources && deps.cgroups.exists(rec.id)) {
    try {
      applyLive(deps.cgroups, rec.id, plan.resources);
    } catch (err) {
      throw new SlipwayError(`Cannot update container ${rec.id}: ${(err as Error).message}${(err as Error).cause ? `: ${((err as Error).cause as Error).message}` : ''}`, { status: 500, cause: err });
    }
  }
  const updated = await deps.store.update(rec.id, (r) => { r.hostConfig = plan.hostConfig; });
  deps.publish?.(updated, 'update');
  return { Warnings: [] };
}

/**
 * Writes new limits into a live cgroup. On v1 memory.limit_in_bytes must stay <= the
 * memory+swap limit already in place, so raising both fails when memory goes first (the order
 * that is right for a fresh cgroup): then memory+swap is raised alone before both are written.
 */
export function applyLive(cgroups: Cgroups, id: string, resources: LinuxResources): void {
  const cg = cgroups.open(id);
  try {
    cg.apply(resources);
  } catch (err) {
    const swap = resources.memory?.swap;
    if (cgroups.version !== 1 || !swap) throw err;
    cg.apply({ memory: { swap } });
    cg.apply(resources);
  }
}
