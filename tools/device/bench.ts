/**
 * The device kit's benchmark: builds the models, runs every generator case and the render timing, each in a
 * child process with a time cap, and prints one JSON line per model, case and render on stdout (a host line
 * first), then a table on stderr. A case that fails (no Vulkan adapter, provider missing, a crash, past its
 * cap) prints its line with the error and the run goes on. run.sh calls this from the unpacked kit.
 *
 *   node dist/tools/device/bench.js [--mode quick|full] [--work DIR] [--only SUBSTR] [--list] [--no-render]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { budgetFor, casesFor, modelsFor, rendersFor, type CaseRecord, type KitMode, type ModelSpec, type RenderRecord } from './cases.js';
import type { CaseJob } from './caseRun.js';
import type { ModelRecord } from './buildModel.js';
import type { RenderJob } from './renderStages.js';
import { summaryTable } from './summary.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface BenchArgs {
  mode: KitMode;
  work: string;
  only: string | null;
  list: boolean;
  render: boolean;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = { mode: 'full', work: resolve('kit-work'), only: null, list: false, render: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k}: expected a value`);
      return v;
    };
    if (k === '--mode') {
      const v = value();
      if (v !== 'quick' && v !== 'full') throw new Error(`--mode ${v}: expected quick or full`);
      a.mode = v;
    } else if (k === '--work') a.work = resolve(value());
    else if (k === '--only') a.only = value();
    else if (k === '--list') a.list = true;
    else if (k === '--no-render') a.render = false;
    else throw new Error(`${k}: unknown option (--mode quick|full, --work DIR, --only SUBSTR, --list, --no-render)`);
  }
  return a;
}

interface ChildResult {
  line: unknown;
  code: number | null;
  timedOut: boolean;
  stderr: string;
}

/** Runs one of the kit's scripts with a JSON job; its last stdout line is its record. Killed past `capS`. */
function runChild(script: string, job: unknown, capS: number): Promise<ChildResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(here, script), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The Vulkan loader warns on every start without a runtime dir.
      env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] || '/tmp' },
    });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, capS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      let line: unknown = null;
      try {
        line = last ? JSON.parse(last) : null;
      } catch {
        line = null;
      }
      res({ line, code, timedOut, stderr: err.trim() });
    });
  });
}

const tail = (s: string): string => (s ? ` (stderr: …${s.slice(-300).replace(/\s+/g, ' ')})` : '');

function emit(record: object): void {
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** The adapter Dawn will pick on Linux: a discrete GPU first, then integrated, then whatever Vulkan lists. */
export function chooseAdapter(vulkan: { ok: boolean; devices?: { name: string; type: string }[] }): string | null {
  if (!vulkan.ok || !vulkan.devices?.length) return null;
  const rank = (t: string) => ['discrete', 'integrated', 'virtual', 'other', 'cpu'].indexOf(t);
  const best = [...vulkan.devices].sort((a, b) => rank(a.type) - rank(b.type))[0]!;
  return `${best.name} (Vulkan ${best.type})`;
}

function hostRecord(a: BenchArgs): { record: object; adapter: string | null } {
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 15000 });
  // Beside this file in the kit (pack copies it); in a checkout it stays in tools/device.
  const script = [join(here, 'vulkan_devices.py'), join(here, '..', '..', '..', 'tools', 'device', 'vulkan_devices.py')].find((f) => existsSync(f));
  const vk = spawnSync('python3', [script ?? 'vulkan_devices.py'], { encoding: 'utf8', timeout: 30000 });
  let vulkan: { ok: boolean; devices?: { name: string; type: string }[]; error?: string };
  try {
    vulkan = JSON.parse(vk.stdout.trim().split('\n').pop() ?? '') as typeof vulkan;
  } catch {
    vulkan = { ok: false, error: `vulkan_devices.py did not answer (${vk.error?.message ?? `exit ${vk.status}`}${tail(vk.stderr ?? '')})` };
  }
  const adapter = chooseAdapter(vulkan);
  return {
    adapter,
    record: {
      kind: 'host',
      mode: a.mode,
      node: process.version,
      ort: ort.env.versions.common,
      backends: ort.listSupportedBackends().map((b) => b.name),
      cpu: cpus()[0]?.model ?? null,
      cores: availableParallelism(),
      memGB: Math.round(totalmem() / 2 ** 30),
      gpu: smi.status === 0 ? smi.stdout.trim() : null,
      vulkan,
      adapter,
      webgpuOptions: process.env['KIT_WEBGPU_OPTIONS'] ?? null,
    },
  };
}

async function buildModels(a: BenchArgs, models: ModelSpec[]): Promise<Set<string>> {
  const ok = new Set<string>();
  const capS = budgetFor(a.mode).buildS;
  // In parallel: each build is one JS thread plus onnxruntime for w_avg, and the device has 16 cores.
  const results = await Promise.all(models.map((spec) => runChild('buildModel.js', { spec, dir: join(a.work, 'models', spec.key) }, capS).then((r) => ({ spec, r }))));
  for (const { spec, r } of results) {
    const rec = r.line as ModelRecord | null;
    if (rec?.kind === 'model') {
      emit(rec);
      if (rec.ok) ok.add(spec.key);
    } else {
      emit({ kind: 'model', key: spec.key, ok: false, error: r.timedOut ? `model build past its ${capS} s cap` : `model build ended with code ${r.code}${tail(r.stderr)}` });
    }
  }
  return ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv);
  const pick = <T extends { id: string }>(xs: T[]) => (a.only ? xs.filter((x) => x.id.includes(a.only!)) : xs);
  const cases = pick(casesFor(a.mode));
  const renders = a.render ? pick(rendersFor(a.mode)) : [];
  if (a.list) {
    for (const c of cases) emit({ kind: 'plan', ...c });
    for (const r of renders) emit({ kind: 'plan', ...r });
    return 0;
  }
  mkdirSync(join(a.work, 'ref'), { recursive: true });
  const t0 = performance.now();
  const { record, adapter } = hostRecord(a);
  emit(record);
  const needed = new Set([...cases.map((c) => c.modelKey), ...renders.map((r) => r.modelKey)]);
  const built = await buildModels(
    a,
    modelsFor(a.mode).filter((m) => needed.has(m.key)),
  );
  const threads = availableParallelism();
  const budget = budgetFor(a.mode);
  const casesEnd = t0 + (budget.totalS - budget.rendersS) * 1000;
  const records: Array<CaseRecord | RenderRecord> = [];
  for (const c of cases) {
    const base = { kind: 'case' as const, id: c.id, path: c.path, model: c.model, size: c.size, ep: c.ep, precision: c.precision, batch: c.batch, ok: false };
    const leftS = (casesEnd - performance.now()) / 1000;
    let rec: CaseRecord;
    if (!built.has(c.modelKey)) rec = { ...base, error: `model ${c.modelKey} was not built`, stage: 'skipped' };
    else if (leftS < 5) rec = { ...base, error: `skipped: the run's budget for cases (${budget.totalS - budget.rendersS} s from its start) was spent`, stage: 'skipped' };
    else {
      const capS = Math.min(c.capS, leftS);
      const job: CaseJob = { spec: c, modelDir: join(a.work, 'models', c.modelKey), refDir: join(a.work, 'ref'), threads, adapter };
      const r = await runChild('caseRun.js', job, capS);
      const line = r.line as CaseRecord | null;
      if (line?.kind === 'case') rec = line.ok || !r.stderr ? line : { ...line, error: `${line.error}${tail(r.stderr)}` };
      else if (r.timedOut) rec = { ...base, error: `past its ${capS.toFixed(0)} s cap`, stage: 'timeout' };
      else rec = { ...base, error: `the case process ended with code ${r.code} and no record${tail(r.stderr)}`, stage: 'crash' };
    }
    records.push(rec);
    emit(rec);
  }
  const rendersEnd = t0 + budget.totalS * 1000;
  for (const s of renders) {
    const base = { kind: 'render' as const, id: s.id, ep: s.ep, ok: false };
    const leftS = (rendersEnd - performance.now()) / 1000;
    let rec: RenderRecord;
    if (!built.has(s.modelKey)) rec = { ...base, error: `model ${s.modelKey} was not built`, stage: 'skipped' };
    else if (leftS < 10) rec = { ...base, error: `skipped: the run's ${budget.totalS} s budget was spent`, stage: 'skipped' };
    else {
      const capS = Math.min(s.capS, leftS);
      const job: RenderJob = { spec: { ...s, capS }, modelDir: join(a.work, 'models', s.modelKey), threads };
      const r = await runChild('renderStages.js', job, capS + 15);
      const line = r.line as RenderRecord | null;
      if (line?.kind === 'render') rec = line.ok || !r.stderr ? line : { ...line, error: `${line.error}${tail(r.stderr)}` };
      else if (r.timedOut) rec = { ...base, error: `past its ${capS.toFixed(0)} s cap`, stage: 'timeout' };
      else rec = { ...base, error: `the render process ended with code ${r.code} and no record${tail(r.stderr)}`, stage: 'crash' };
    }
    records.push(rec);
    emit(rec);
  }
  emit({ kind: 'done', seconds: Math.round((performance.now() - t0) / 100) / 10, cases: records.filter((r) => r.kind === 'case').length, ok: records.filter((r) => r.ok).length });
  process.stderr.write(summaryTable(records) + '\n');
  return 0;
}

if (process.argv[1]?.endsWith('device/bench.js')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`device kit: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
