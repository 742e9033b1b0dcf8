import { z } from 'zod';
import { audioConfigSchema } from './audio/config.js';
import { analysisConfigSchema } from './analysis/config.js';
import { generatorConfigSchema } from './generator/config.js';
import { outputConfigSchema } from './output/config.js';
import { controlConfigSchema } from './control/config.js';
import { loadSchemaFile } from './schemaFile.js';
import { UserError } from './errors.js';

/**
 * The whole engine configuration: one section per stage, each owning its defaults. A config file
 * (`--config file.yaml|json`) holds the same settings as the CLI flags; flags win over the file.
 */
export const configSchema = z.strictObject({
  fps: z.number().min(1).max(240).default(30).describe('frames per second of the picture'),
  mapping: z.string().min(1).default('default').describe('mapping file, or the name of a preset in mappings/'),
  audio: audioConfigSchema,
  analysis: analysisConfigSchema,
  generator: generatorConfigSchema,
  output: outputConfigSchema,
  control: controlConfigSchema,
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Load a config file; errors name the file, line and key. */
export function loadConfigFile(file: string): ConfigInput {
  // Validate the file alone first so that its errors point into it, then merge with flags.
  return loadSchemaFile(file, configSchema) as ConfigInput;
}

/** Deep-merge plain objects (flags over file). Arrays and scalars replace. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergeConfig(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export function resolveConfig(file: string | undefined, flags: Record<string, unknown>): Config {
  const fromFile = file ? (loadConfigFile(file) as Record<string, unknown>) : {};
  // The file alone was validated with its lines; what fails now came from a flag (e.g. --fps 0, --ep foo):
  // one line per key and what was expected, never a zod dump.
  const result = configSchema.safeParse(mergeConfig(fromFile, flags));
  if (result.success) return result.data;
  throw new UserError(
    result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(config)'}: ${i.message}`)
      .join('\n'),
  );
}
