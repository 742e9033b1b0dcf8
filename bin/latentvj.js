#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write(`latentvj: ${entry} is missing; run \`npm install\` (or \`npm run build\`) in ${root} first\n`);
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv);
process.exitCode = code;
