#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`, which also
// bundles it into dist/bundle/ (tools/bundle-cli.js: faster to start). A bundle older than the last compile is
// passed over for the compiled files, so a `tsc` alone never runs stale code.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'src', 'cli.js');
const bundled = join(root, 'dist', 'bundle', 'cli.js');
const stamp = join(root, 'dist', '.tsbuildinfo');
if (!existsSync(compiled)) {
  process.stderr.write(`latentvj: ${compiled} is missing; run \`npm install\` (or \`npm run build\`) in ${root} first\n`);
  process.exit(2);
}
const fresh = (file) => {
  try {
    return statSync(file).mtimeMs >= (existsSync(stamp) ? statSync(stamp).mtimeMs : 0);
  } catch {
    return false;
  }
};
const entry = fresh(bundled) ? bundled : compiled;
const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv);
process.exitCode = code;
