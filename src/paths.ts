import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (holding models/, mappings/, shaders/): this module is src/paths.ts in the source tree and
 * dist/src/paths.js when built, so the root is one or two levels further up.
 */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));
