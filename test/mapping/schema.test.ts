import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMapping, PRESETS_DIR } from '../../src/mapping/load.js';
import { mappingJsonSchema, SCHEMA_FILE, schemaIsCurrent } from '../../src/mapping/jsonSchema.js';
import { docsAreCurrent, DOCS_FILE } from '../../src/mapping/docs.js';

test('every preset in mappings/ validates', () => {
  const files = readdirSync(PRESETS_DIR).filter((f) => /\.(ya?ml)$/.test(f));
  assert.ok(files.includes('default.yaml'), 'default.yaml exists');
  for (const f of files) {
    const loaded = loadMapping(join(PRESETS_DIR, f));
    assert.ok(loaded.spec.routes.length > 0, `${f} has routes`);
  }
});

test('mappings/schema.json is generated from the zod schema and up to date', () => {
  assert.ok(
    schemaIsCurrent(),
    `${SCHEMA_FILE} is stale: run npx tsc -p . && node dist/src/mapping/jsonSchema.js --write`,
  );
  const schema = JSON.parse(mappingJsonSchema()) as { properties: Record<string, unknown> };
  assert.ok('routes' in schema.properties);
});

test('docs/mapping.md carries the current source, modifier and target tables', () => {
  assert.ok(docsAreCurrent(), `${DOCS_FILE} tables are stale: run npx tsc -p . && node dist/src/mapping/jsonSchema.js --write`);
});
