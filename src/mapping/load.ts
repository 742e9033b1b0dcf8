import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { locateYamlPath, parseSchemaText, readUserFile, yamlToJs } from '../schemaFile.js';
import { UserError } from '../errors.js';
import { closestName } from '../didYouMean.js';
import { PACKAGE_ROOT } from '../paths.js';
import { mappingSchema, type MappingSpec } from './schema.js';
import { LAYER_SPEC_PATTERN } from './layers.js';

export { PACKAGE_ROOT };

export const PRESETS_DIR = join(PACKAGE_ROOT, 'mappings');

/** A mapping file path, or the name of a preset in mappings/ ('default', 'dj-mix'). */
export function resolveMappingPath(nameOrFile: string): string {
  if (existsSync(nameOrFile)) return resolve(nameOrFile);
  for (const ext of ['.yaml', '.yml', '.json']) {
    const p = join(PRESETS_DIR, nameOrFile + ext);
    if (!/[\\/]/.test(nameOrFile) && existsSync(p)) return p;
  }
  const presets = presetNames();
  const near = /[\\/]/.test(nameOrFile) ? null : closestName(nameOrFile.replace(/\.(ya?ml|json)$/, ''), presets);
  throw new UserError(
    `mapping '${nameOrFile}': no such file, and no preset of that name` +
      (near ? `; did you mean '${near}'?` : '') +
      ` Presets: ${presets.join(', ') || `none (${PRESETS_DIR} is empty)`}`,
  );
}

/** Names of the presets in mappings/ (without extension), sorted. */
export function presetNames(): string[] {
  let files: string[];
  try {
    files = readdirSync(PRESETS_DIR);
  } catch {
    return [];
  }
  const names = files.filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json').map((f) => f.replace(/\.(ya?ml|json)$/, ''));
  return [...new Set(names)].sort();
}

export interface LoadedMapping {
  file: string;
  text: string;
  spec: MappingSpec;
}

/** Parse and validate mapping text; errors are UserErrors of `file:line:col: key: what was expected` lines. */
export function parseMapping(text: string, file: string): LoadedMapping {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // YAML syntax: the shared reader words these well.
    parseSchemaText(text, file, mappingSchema);
  }
  const result = mappingSchema.safeParse(yamlToJs(doc, file) ?? {});
  if (result.success) return { file, text, spec: result.data };
  const loaded = { file, text, spec: undefined as unknown as MappingSpec };
  const lines = result.error.issues.slice(0, 5).map((issue) => {
    const { path, message } = explainIssue(issue);
    return locateMappingError(loaded, new MappingError(path, message)).message;
  });
  const more = result.error.issues.length > 5 ? ` (+${result.error.issues.length - 5} more)` : '';
  throw new UserError(lines.join('\n') + more);
}

type Issue = z.core.$ZodIssue;

/**
 * The most useful path and message of a zod issue: an unknown key points at the key itself; a failed union
 * explains the branch that got furthest (a misspelt source says "did you mean", not "invalid input").
 */
export function explainIssue(issue: Issue): { path: Array<string | number>; message: string } {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (issue.code === 'unrecognized_keys') {
    // `{ layers: mid,high }`: inside a flow map the comma ends the value, so 'high' arrives as a key of its own.
    const layerLike = issue.keys.filter((k) => LAYER_SPEC_PATTERN.test(k));
    const hint =
      layerLike.length > 0
        ? `; inside { … } a comma ends the value, so a layer list must be quoted: layers: '…,${layerLike.join(',')}'`
        : '';
    return {
      path: [...path, issue.keys[0]!],
      message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${hint}`,
    };
  }
  if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0) {
    const informative = issue.errors.find((branch) => branch.length > 0 && branch.every((b) => b.code !== 'invalid_type'));
    if (informative) {
      const inner = explainIssue(informative[0]!);
      return { path: [...path, ...inner.path], message: inner.message };
    }
  }
  return { path, message: issue.message };
}

export function loadMapping(file: string): LoadedMapping {
  return parseMapping(readUserFile(file), file);
}

/** An error found after validation (compile time: files, manifest), tied to a key path in the mapping file. */
export class MappingError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string,
  ) {
    super(message);
  }
}

/** `file:line:col: key.path: message` for a MappingError, pointing into the text. */
export function locateMappingError(loaded: LoadedMapping, e: MappingError): UserError {
  const lc = new LineCounter();
  const doc = parseDocument(loaded.text, { lineCounter: lc });
  const pos = locateYamlPath(doc.contents, e.path.map(String), lc);
  const key = e.path.length ? e.path.join('.') : '(top level)';
  return new UserError(`${loaded.file}:${pos.line}:${pos.col}: ${key}: ${e.message}`);
}
