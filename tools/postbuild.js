#!/usr/bin/env node
// Runs after `npm install` builds the TypeScript: prepares what `npm start` needs on a fresh machine
// (the default model). Each step is skipped with a note when it cannot run; install never fails here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(new URL('.', import.meta.url).pathname, '..');
const setup = join(root, 'dist', 'src', 'setup.js');
if (existsSync(setup)) {
  try {
    const { runSetup } = await import(pathToFileURL(setup).href);
    await runSetup({ root });
  } catch (e) {
    console.warn(`latentvj postbuild: ${e instanceof Error ? e.message : e} (npm start will retry)`);
  }
}
