/** The /latents page's calls to the engine (src/output/latentStudio.ts): JSON in, JSON or PNG out. */

export interface DirectionSetInfo {
  sigmas: number[];
  components: number[][];
}

export interface StudioInfo {
  width: number;
  height: number;
  numWs: number;
  wDim: number;
  cDim: number;
  wAvg: number[];
  directions: { ganspace: DirectionSetInfo; sefa: DirectionSetInfo } | null;
}

/** The control token a LAN-bound engine wants, handed on from the page's own URL (/latents?token=…). */
const token = new URLSearchParams(location.search).get('token');

function headers(): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

async function failure(r: Response): Promise<Error> {
  try {
    const j = (await r.json()) as { error?: string };
    return new Error(j.error ?? `HTTP ${r.status}`);
  } catch {
    return new Error(`HTTP ${r.status}`);
  }
}

async function post(path: string, body: object): Promise<Response> {
  const r = await fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify({ v: 1, ...body }) });
  if (!r.ok) throw await failure(r);
  return r;
}

export async function info(): Promise<StudioInfo> {
  const r = await fetch('/api/latents/info');
  if (!r.ok) throw await failure(r);
  return (await r.json()) as StudioInfo;
}

/** W of NVIDIA's seeds; `cls` picks the class of a conditional model. */
export async function wOfSeeds(seeds: number[], cls?: number): Promise<number[][]> {
  return ((await (await post('/api/latents/w', { seeds, ...(cls !== undefined ? { class: cls } : {}) })).json()) as { ws: number[][] }).ws;
}

/** A picture as an object URL (the caller revokes it when the image is replaced). */
export async function render(what: { seed: number; class?: number } | { w: number[] }, truncation: number, thumb: boolean): Promise<string> {
  const r = await post('/api/latents/render', { ...what, truncation, thumb });
  return URL.createObjectURL(await r.blob());
}

export async function saveBank(name: string, latents: number[][], replace: boolean): Promise<{ file: string; count: number; mapping: string }> {
  return (await (await post('/api/latents/save', { name, latents, replace })).json()) as { file: string; count: number; mapping: string };
}
