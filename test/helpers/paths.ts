import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** The repository's root, whatever the current directory (tests run from dist/test). */
export const REPO = PACKAGE_ROOT;
/** The rosinality-format reference checkpoint and its outputs (tools/nvidia-fixture/make_rosinality.py). */
export const ROSINALITY_FIXTURES = join(REPO, 'test', 'fixtures', 'rosinality');
/** NVIDIA-format fixtures (tools/nvidia-fixture/make_fixtures.py). */
export const NVIDIA_FIXTURES = join(REPO, 'test', 'fixtures', 'nvidia');
/** The CLI entry point. */
export const CLI = join(REPO, 'bin', 'latentvj.js');
