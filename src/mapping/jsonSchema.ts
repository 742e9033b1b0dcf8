import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { mappingSchema } from './schema.js';
import { PRESETS_DIR } from './load.js';
import { DOCS_FILE, withGeneratedTables } from './docs.js';

/**
 * The published JSON Schema of mapping files (mappings/schema.json), generated from the zod schema so the two
 * never disagree (the tables of docs/mapping.md come along). A test checks both are current; regenerate with
 *   npx tsc -p . && node dist/src/mapping/jsonSchema.js --write
 */
export const SCHEMA_FILE = join(PRESETS_DIR, 'schema.json');

export function mappingJsonSchema(): string {
  const schema = z.toJSONSchema(mappingSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const out = {
    $schema: schema.$schema,
    $id: 'https://latentvj.dev/schema/mapping.json',
    title: 'latentvj mapping',
    description: 'Routes source → modifiers → target; see docs/mapping.md.',
    ...schema,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export function schemaIsCurrent(): boolean {
  try {
    return readFileSync(SCHEMA_FILE, 'utf8') === mappingJsonSchema();
  } catch {
    return false;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--write')) {
    writeFileSync(SCHEMA_FILE, mappingJsonSchema());
    writeFileSync(DOCS_FILE, withGeneratedTables(readFileSync(DOCS_FILE, 'utf8')));
    console.log(`wrote ${SCHEMA_FILE} and the tables of ${DOCS_FILE}`);
  } else {
    process.stdout.write(mappingJsonSchema());
  }
}
