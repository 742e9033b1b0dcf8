/**
 * `latentvj bench generator [--model dir] [--ep …] [--frames N] [--threads N] [--json]`: renders frames back to
 * back through the generator stage (worker, scheduling, hand-over: what the engine does) and reports fps and
 * inference times. `--json` prints one line for scripts and CI.
 */
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../paths.js';
import { UserError } from '../errors.js';
import { generatorConfigSchema } from '../generator/config.js';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import { benchGenerator } from '../generator/runtime/bench.js';
import { setLogLevel } from '../log.js';



interface BenchGeneratorFlags {
  model: string;
  ep: string;
  frames: string;
  threads: string;
  optimization: string;
  json?: boolean;
}

function int(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${flag}: expected an integer in ${min}..${max}, got '${v}'`);
  return n;
}

export function register(program: Command): void {
  const bench = program.command('bench').description('measure the speed of a stage');
  bench
    .command('generator')
    .description('render frames back to back through the generator worker; report fps and inference ms')
    .option('-m, --model <dir>', "model directory, or 'default' (built if missing)", 'default')
    .option('--ep <provider>', 'execution provider: auto, cuda, dml, coreml, webgpu, cpu', 'auto')
    .option('-n, --frames <n>', 'frames to render', '100')
    .option('-t, --threads <n>', 'intra-op threads (0: one per core)', '0')
    .option('--optimization <level>', 'graph optimisation: disabled, basic, extended, all', 'all')
    .option('--json', 'print one JSON line')
    .action(async (flags: BenchGeneratorFlags) => {
      const parsed = generatorConfigSchema.safeParse({
        model: flags.model,
        ep: flags.ep,
        threads: int('--threads', flags.threads, 0, 256),
        graphOptimization: flags.optimization,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UserError(`--${String(issue.path[0] === 'graphOptimization' ? 'optimization' : issue.path[0])}: ${issue.message}`);
      }
      const cfg = parsed.data;
      const frames = int('--frames', flags.frames, 1, 100000);
      const modelDir = resolveModelDir(cfg.model, PACKAGE_ROOT);
      if (cfg.model === 'default') await ensureDefaultModel(modelDir);
      // With --json, stdout carries exactly one line; the provider choice still goes to stderr.
      if (flags.json) setLogLevel('warn');
      const r = await benchGenerator({ modelDir, frames, ep: cfg.ep, threads: cfg.threads, graphOptimization: cfg.graphOptimization });
      if (flags.json) {
        const { inferMs: _perFrame, ...summary } = r;
        process.stdout.write(JSON.stringify(summary) + '\n');
      } else {
        process.stdout.write(
          `generator ${r.width}×${r.height} on ${r.ep} (${r.threads || 'all'} threads): ${r.fps.toFixed(1)} fps, ` +
            `inference median ${r.msMedian.toFixed(1)} ms, p95 ${r.msP95.toFixed(1)} ms, ` +
            `overhead median ${r.overheadMsMedian.toFixed(2)} ms, ${r.frames} frames, load average ${r.load1.toFixed(2)}\n`,
        );
      }
    });
}
