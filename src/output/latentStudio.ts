/**
 * The HTTP side of the /latents page: browse seeds, blend and nudge, walk the stored directions, keep latents in
 * a bank and save it where mappings load banks from. Pictures come from the model's own generator graph (the
 * ONNX model the show paints with) on the CPU, one request at a time:
 *   GET  /api/latents/info     sizes, w_avg, the stored directions (unit vectors and σ), whether saving is allowed
 *   POST /api/latents/w        { seeds: [..], class? } → { ws: [[wDim]…] } (NVIDIA's seeds through the mapping)
 *   POST /api/latents/render   { seed | w, truncation?, thumb? } → image/png
 *   POST /api/latents/save     { name, latents: [[wDim]…], replace? } → writes <banksDir>/<name>.json, a bank file
 * Every body is bounded (bytes, nesting) and validated; the server's access rules (Host, Origin, JSON content
 * type) guard the routes as every /api/ path. Saving writes a file: from the LAN it needs the control token.
 */
import type http from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EngineServer } from './server.js';
import type { Manifest } from '../generator/types.js';
import { OfflineModel } from '../generator/offline.js';
import { neutralFeeds, broadcastW, truncateRows } from '../generator/graph/inputs.js';
import { shrink } from '../generator/sheet.js';
import { writeFilesAtomically } from '../generator/convert.js';
import { readDirections, type ModelDirections } from '../contracts/directions.js';
import { zFromSeed } from '../contracts/seeds.js';
import { encodePng } from '../contracts/png.js';
import { parseBoundedJson, readBoundedBody } from '../boundedJson.js';
import { describeError } from '../errors.js';
import { logger } from '../log.js';

const log = logger('latents');

export interface LatentStudioOptions {
  modelDir: string;
  manifest: Manifest;
  /** Where saved banks go (a mapping beside it loads `file: <name>.json`). */
  banksDir: string;
  /** Whether a request may write files: loopback, or the control token when bound to the LAN. */
  mayWrite(remote: string | undefined, token: string | null): boolean;
  /** Largest request body, bytes (a bank of 64 latents of 512 is about 700 kB of JSON). */
  maxBodyBytes?: number;
}

export interface LatentStudio {
  close(): Promise<void>;
}

const MAX_SEED = 0xffffffff;
/** Thumbnails are shrunk to about this side (box filter), so a grid of seeds stays light. */
const THUMB_PX = 96;
/** Requests waiting for the generator beyond this get 503: a page that floods us does not build a queue. */
const MAX_PENDING = 48;

export const BANK_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function registerLatentStudio(server: EngineServer, o: LatentStudioOptions): LatentStudio {
  const m = o.manifest;
  const maxBody = o.maxBodyBytes ?? 4 << 20;
  const cDim = m.cDim ?? 0;
  const finite = z.number().refine(Number.isFinite, 'a finite number');
  const wVector = z.array(finite).length(m.wDim, `a W vector of ${m.wDim} numbers`);
  const wSchema = z.strictObject({ v: z.literal(1).optional(), seeds: z.array(z.number().int().min(0).max(MAX_SEED)).min(1).max(64), class: z.number().int().min(0).max(Math.max(0, cDim - 1)).optional() });
  const renderSchema = z
    .strictObject({ v: z.literal(1).optional(), seed: z.number().int().min(0).max(MAX_SEED).optional(), w: wVector.optional(), class: z.number().int().min(0).max(Math.max(0, cDim - 1)).optional(), truncation: z.number().min(-4).max(4).default(1), thumb: z.boolean().default(false) })
    .refine((b) => (b.seed === undefined) !== (b.w === undefined), 'give exactly one of seed or w');
  const saveSchema = z.strictObject({
    v: z.literal(1).optional(),
    name: z.string().regex(BANK_NAME, 'a bank name of 1–64 letters, digits, _ or -'),
    latents: z.array(wVector).min(1).max(256),
    replace: z.boolean().default(false),
  });

  let model: OfflineModel | null = null;
  // One thread: pictures for the page while a show plays must not take the live generator's cores.
  const open = async (): Promise<OfflineModel> => (model ??= await OfflineModel.open(o.modelDir, { threads: 1 }));
  // One generator run at a time, in arrival order.
  let chain: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const queued = <T>(job: () => Promise<T>): Promise<T> | null => {
    if (pending >= MAX_PENDING) return null;
    pending++;
    const run = chain.then(job, job);
    chain = run.catch(() => undefined).finally(() => pending--);
    return run;
  };
  let directions: ModelDirections | null | undefined;
  const loadDirections = async (): Promise<ModelDirections | null> => {
    if (directions !== undefined) return directions;
    try {
      directions = await readDirections(o.modelDir, m.wDim);
    } catch (e) {
      log.info(`no directions on the /latents page: ${describeError(e)}`);
      directions = null;
    }
    return directions;
  };

  const wOf = async (seeds: number[], cls: number | undefined): Promise<Float32Array> => {
    const mod = await open();
    const z0 = new Float32Array(seeds.length * m.zDim);
    seeds.forEach((s, i) => z0.set(zFromSeed(s, m.zDim), i * m.zDim));
    let labels: Float32Array | undefined;
    if (cDim > 0) {
      labels = new Float32Array(seeds.length * cDim);
      for (let i = 0; i < seeds.length; i++) labels[i * cDim + (cls ?? 0)] = 1;
    }
    return mod.mapZ(z0, labels);
  };

  server.route('GET /api/latents/info', async (_req, res) => {
    const d = await loadDirections();
    const set = (s: ModelDirections['ganspace']): unknown => ({ sigmas: s.sigmas, components: s.components.map((c) => Array.from(c)) });
    json(res, 200, {
      v: 1,
      ok: true,
      width: m.width,
      height: m.height,
      numWs: m.numWs,
      wDim: m.wDim,
      cDim,
      wAvg: Array.from(m.wAvg),
      directions: d ? { ganspace: set(d.ganspace), sefa: set(d.sefa) } : null,
    });
  });

  server.route('POST /api/latents/w', async (req, res) => {
    const b = await body(req, res, maxBody, wSchema);
    if (!b) return;
    const job = queued(() => wOf(b.seeds, b.class));
    if (!job) return busy(res);
    const w = await job;
    json(res, 200, { v: 1, ok: true, ws: b.seeds.map((_, i) => Array.from(w.subarray(i * m.wDim, (i + 1) * m.wDim))) });
  });

  server.route('POST /api/latents/render', async (req, res) => {
    const b = await body(req, res, maxBody, renderSchema);
    if (!b) return;
    const job = queued(async () => {
      const w = b.w ? Float32Array.from(b.w) : await wOf([b.seed!], b.class);
      const ws = truncateRows(broadcastW(w, m.numWs), m.wAvg, b.truncation);
      const mod = await open();
      const out = await mod.render(ws, neutralFeeds(m, new Float32Array(0), 'const'), 1);
      const factor = b.thumb ? Math.max(1, Math.floor(Math.max(m.width, m.height) / THUMB_PX)) : 1;
      const pic = shrink(out.rgba[0]!, m.width, m.height, factor);
      return encodePng(pic.rgba, pic.width, pic.height);
    });
    if (!job) return busy(res);
    const png = await job;
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    res.end(png);
  });

  server.route('POST /api/latents/save', async (req, res, url) => {
    if (!o.mayWrite(req.socket.remoteAddress, bearer(req) ?? url.searchParams.get('token'))) {
      return json(res, 403, { v: 1, ok: false, error: 'saving a bank writes a file: from the LAN it needs the control token printed at start (/latents?token=…)' });
    }
    const b = await body(req, res, maxBody, saveSchema);
    if (!b) return;
    const name = `${b.name}.json`;
    if (!b.replace && existsSync(join(o.banksDir, name))) {
      return json(res, 409, { v: 1, ok: false, error: `a bank file ${name} exists; choose another name or replace it` });
    }
    try {
      await writeFilesAtomically(o.banksDir, [{ name, bytes: JSON.stringify(b.latents) + '\n' }]);
    } catch (e) {
      log.error(`${join(o.banksDir, name)}: cannot write (${describeError(e)})`);
      return json(res, 500, { v: 1, ok: false, error: `cannot write ${name}; the engine's log says why` });
    }
    log.info(`${join(o.banksDir, name)}: bank of ${b.latents.length} latents saved from the /latents page`);
    json(res, 200, { v: 1, ok: true, file: name, count: b.latents.length, mapping: `banks:\n  ${b.name}: { file: ${name} }` });
  });

  return {
    async close() {
      await chain.catch(() => undefined);
      await model?.close();
      model = null;
    },
  };
}

function json(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function busy(res: http.ServerResponse): void {
  json(res, 503, { v: 1, ok: false, error: 'the generator is busy with earlier requests; try again' });
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '').trim() : null;
}

/** The request's JSON body, bounded and validated; null after answering 4xx itself. */
async function body<T extends z.ZodType>(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number, schema: T): Promise<z.output<T> | null> {
  const read = await readBoundedBody(req, maxBytes);
  if (!read.ok) {
    if (read.tooLarge) json(res, 413, { v: 1, ok: false, error: `request too large: over ${maxBytes} bytes` });
    return null;
  }
  // Latent lists nest two deep inside the object; anything deeper is not ours.
  const parsed = parseBoundedJson(read.body, { maxBytes, maxDepth: 4 });
  if (!parsed.ok) {
    json(res, 400, { v: 1, ok: false, error: parsed.error });
    return null;
  }
  const r = schema.safeParse(parsed.value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    json(res, 400, { v: 1, ok: false, error: `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}` });
    return null;
  }
  return r.data as z.output<T>;
}
