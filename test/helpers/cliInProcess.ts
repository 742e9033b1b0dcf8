/**
 * The CLI's own main() in this process, for argument errors: the same parse, checks and one-line message as the
 * command line, without the second of CPU a fresh Node spends loading the whole CLI. Keep at least one case per
 * command a real child process (bin/latentvj.js), and use this only for errors raised before any work starts:
 * nothing may be left running in the test process. Commander's own usage errors (a missing required option) end
 * the process from a subcommand: those stay child processes.
 */
export async function cliInProcess(...args: string[]): Promise<{ status: number; stderr: string }> {
  const { main } = await import('../../src/cli.js');
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    const status = await main([process.execPath, 'latentvj', ...args]);
    return { status, stderr };
  } finally {
    process.stderr.write = write;
  }
}
