/**
 * Which execution provider ran each node, read from onnxruntime's profile (a JSON array of trace events; node
 * events carry `args.op_name` and `args.provider`). onnxruntime-node has no other way to say where nodes went:
 * a WebGPU session silently keeps the ops its provider lacks on the CPU, and that is what the kit must show.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface NodePlacement {
  /** Distinct nodes per provider name as onnxruntime spells it (WebGpuExecutionProvider, CPUExecutionProvider). */
  nodesByProvider: Record<string, number>;
  /** Op types with at least one node on the CPU provider, sorted. */
  cpuOps: string[];
}

interface ProfileEvent {
  cat?: unknown;
  name?: unknown;
  args?: { op_name?: unknown; provider?: unknown };
}

export function nodePlacement(profileJson: string): NodePlacement {
  const events = JSON.parse(profileJson) as unknown;
  if (!Array.isArray(events)) throw new Error('onnxruntime profile: expected a JSON array of events');
  const seen = new Map<string, { provider: string; op: string }>();
  for (const e of events as ProfileEvent[]) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.args) continue;
    const { provider, op_name: op } = e.args;
    if (typeof provider !== 'string' || typeof op !== 'string') continue;
    // Each node appears as <name>_fence_before, <name>_kernel_time, <name>_fence_after: count it once.
    seen.set(e.name.replace(/_(fence_before|kernel_time|fence_after)$/, ''), { provider, op });
  }
  const nodesByProvider: Record<string, number> = {};
  const cpuOps = new Set<string>();
  for (const { provider, op } of seen.values()) {
    nodesByProvider[provider] = (nodesByProvider[provider] ?? 0) + 1;
    if (provider === 'CPUExecutionProvider') cpuOps.add(op);
  }
  return { nodesByProvider, cpuOps: [...cpuOps].sort() };
}

/** onnxruntime writes `<prefix>_<timestamp>.json`; finds, reads and removes the newest such file. */
export async function takeProfile(prefix: string): Promise<string> {
  const dir = dirname(prefix);
  const stem = basename(prefix);
  const files = (await readdir(dir)).filter((f) => f.startsWith(stem) && f.endsWith('.json')).sort();
  const last = files.at(-1);
  if (!last) throw new Error(`onnxruntime wrote no profile ${prefix}_*.json`);
  const text = await readFile(join(dir, last), 'utf8');
  await Promise.all(files.map((f) => rm(join(dir, f), { force: true })));
  return text;
}
