// The compiled files a runner picks (tests or benchmarks under dist/), shared by run-tests.js, test-times.js and
// run-bench.js so that their substring filters mean the same thing.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/**
 * Every `dist/<folder>/**\/*<suffix>` in path order, kept when its repository path contains one of the filters
 * (all when there are none). With `required`, a missing folder or an empty choice is one line and exit 2.
 */
export function compiledFiles({ folder, suffix, filters, tool, required = true }) {
  const dir = join(root, 'dist', folder);
  if (!existsSync(dir)) {
    if (!required) return [];
    console.error(`${tool}: dist/${folder} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      // A compiled file whose TypeScript source is gone (deleted or renamed since the last build) is not run:
      // tsc leaves old outputs in dist/.
      else if (name.endsWith(suffix) && existsSync(join(root, relative(join(root, 'dist'), p)).replace(/\.js$/, '.ts'))) files.push(p);
    }
  };
  walk(dir);
  const chosen = filters.length ? files.filter((f) => filters.some((s) => relative(root, f).includes(s))) : files;
  if (required && chosen.length === 0) {
    console.error(`${tool}: no ${suffix} files match ${filters.join(' ')}`);
    process.exit(2);
  }
  return chosen;
}
