/**
 * The CLI's own main() in this process, for help and argument errors: the same parse, checks and output as the
 * command line, without the CPU a fresh Node spends loading the CLI. Keep at least one case per command a real
 * child process (bin/latentvj.js), and use this only for what ends before any work starts: nothing may be left
 * running in the test process.
 */
export async function cliInProcess(...args: string[]): Promise<{ status: number; stderr: string; stdout: string }> {
  const { main } = await import('../../src/cli.js');
  const out = { stderr: '', stdout: '' };
  // Text only: the test runner's own reports reach stdout as binary chunks, and must still get through.
  const capture = (stream: 'stderr' | 'stdout') => {
    const write = process[stream].write;
    process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk !== 'string') return (write as (...a: unknown[]) => boolean).call(process[stream], chunk, ...rest);
      out[stream] += chunk;
      return true;
    }) as typeof process.stdout.write;
    return () => (process[stream].write = write);
  };
  const restore = [capture('stderr'), capture('stdout')];
  try {
    const status = await main([process.execPath, 'latentvj', ...args]);
    return { status, ...out };
  } finally {
    for (const r of restore) r();
  }
}
