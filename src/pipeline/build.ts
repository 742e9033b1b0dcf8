import type { Config } from '../config.js';
import type { Manifest } from '../contracts/model.js';
import type { AnalysisStage } from '../contracts/stages.js';
import { createAnalysis } from '../analysis/index.js';
import { readManifest } from '../generator/graph/manifest.js';
import { resolveModelDir } from '../generator/defaultModel.js';
import { createMapper, resolveMappingPath, type Mapper, type MapperOptions } from '../mapping/index.js';
import { createOnnxLatentProvider, type LatentProvider } from '../visual/latents.js';
import { runSetup } from '../setup.js';
import { PACKAGE_ROOT } from '../paths.js';
import { externalTempo, type TempoLeader } from './tempo.js';

/** The model every command uses: the directory and its manifest. */
export interface ModelRef {
  dir: string;
  manifest: Manifest;
}

/**
 * The one model resolution: `generator.model` of the config, 'default' being models/default, which is built
 * (or rebuilt when outdated) first.
 */
export async function resolveModel(cfg: Config): Promise<ModelRef> {
  const dir = resolveModelDir(cfg.generator.model, PACKAGE_ROOT);
  if (cfg.generator.model === 'default') await runSetup({ root: PACKAGE_ROOT });
  return { dir, manifest: await readManifest(dir) };
}

/** The analysis stage of the config; with a tempo leader (the control stage), external tempo leads when present. */
export function buildAnalysis(cfg: Config, tempo?: TempoLeader): AnalysisStage {
  const analyse = createAnalysis(cfg.analysis);
  if (!tempo) return analyse;
  const lead = externalTempo(tempo);
  return (blocks$) => analyse(blocks$).pipe(lead);
}

/** The mapping half of the middle: the model, its latent provider, and the mapper compiled against both. */
export interface MappingParts {
  model: ModelRef;
  latents: LatentProvider;
  mapper: Mapper;
  mappingFile: string;
  close(): Promise<void>;
}

/** Builds the mapper of the config (`mapping`, `generator.model`); `watch` hot-reloads the file (live). */
export async function buildMapping(cfg: Config, opts: { watch: boolean; model?: ModelRef; onReload?: MapperOptions['onReload'] }): Promise<MappingParts> {
  const model = opts.model ?? (await resolveModel(cfg));
  const mappingFile = resolveMappingPath(cfg.mapping);
  const latents = await createOnnxLatentProvider(model.dir, model.manifest);
  let mapper: Mapper;
  try {
    mapper = await createMapper({ file: mappingFile, manifest: model.manifest, latents, watch: opts.watch, ...(opts.onReload ? { onReload: opts.onReload } : {}) });
  } catch (e) {
    await latents.close?.();
    throw e;
  }
  return {
    model,
    latents,
    mapper,
    mappingFile,
    async close() {
      await mapper.close();
      await latents.close?.();
    },
  };
}
