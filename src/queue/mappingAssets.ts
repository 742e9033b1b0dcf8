/** The files a mapping names by a relative path (latent banks, mask images), which travel with it to the workers. */
import { isAbsolute, normalize } from 'node:path';
import { UserError } from '../errors.js';
import { parseMapping } from '../mapping/load.js';

/**
 * Files the mapping names by a relative path inside its folder (latent banks, mask images): the render's folder
 * gets a copy at the same relative path, so the mapping copy beside them finds them. Absolute paths stay as they
 * are (they must be readable on every worker); a relative path out of the mapping's folder is refused.
 */
export function mappingAssets(mappingFile: string, text: string): string[] {
  const { spec } = parseMapping(text, mappingFile);
  const files: string[] = [];
  for (const b of Object.values(spec.banks)) if (b.file) files.push(b.file);
  for (const m of Object.values(spec.noise?.masks ?? {})) if (m.shape === 'image') files.push(m.file);
  const rel = files.filter((f) => !isAbsolute(f));
  for (const f of rel) {
    const n = normalize(f);
    if (n.startsWith('..') || isAbsolute(n)) {
      throw new UserError(`${mappingFile}: ${f} is outside the mapping's folder; with --queue give it as an absolute path every worker can read, or move it beside the mapping`);
    }
  }
  return [...new Set(rel.map((f) => normalize(f)))];
}
