/**
 * The /latents page: a grid of seeds painted by the engine's generator, a current latent made of A (a clicked
 * seed), a blend toward B, nudges and steps along the model's stored directions, and a bank the performer fills
 * with a click and saves as a file a mapping loads (`banks: { name: { file: name.json } }`). W vectors live in
 * the page; the engine maps seeds, paints pictures and writes the file.
 */
import { info, render, saveBank, wOfSeeds, type StudioInfo } from './latents/api.js';
import { gaussian, lerp, stepAlong, truncate } from './latents/wmath.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

interface Pick {
  seed: number;
  w: number[];
}

interface DirectionSlider {
  label: string;
  sigma: number;
  vector: number[];
  input: HTMLInputElement;
  value: HTMLElement;
}

/** What a test (or a curious performer in the console) can read. */
const state = {
  ready: false,
  seedsShown: [] as number[],
  thumbsLoaded: 0,
  renders: 0,
  a: null as Pick | null,
  b: null as Pick | null,
  nudge: [] as number[],
  bank: [] as number[][],
  lastSave: null as null | { file: string; count: number; mapping: string },
  errors: [] as string[],
  /** The current latent as the bank would keep it (ψ applied). */
  current: (): number[] | null => null,
};
(globalThis as unknown as { latentvjLatents: typeof state }).latentvjLatents = state;

function status(text: string, error = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
  if (error) state.errors.push(text);
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const model: StudioInfo = await info();
  $('model').textContent = `${model.width}×${model.height} · W ${model.numWs}×${model.wDim}${model.cDim ? ` · ${model.cDim} classes` : ''}`;
  document.body.style.setProperty('--aspect', `${model.width} / ${model.height}`);
  // A conditional model paints seeds of the chosen class.
  const classInput = $<HTMLInputElement>('class');
  $('class-label').hidden = model.cDim === 0;
  classInput.max = String(Math.max(0, model.cDim - 1));
  const cls = (): number | undefined => (model.cDim > 0 ? Math.max(0, Math.min(model.cDim - 1, Math.floor(Number(classInput.value) || 0))) : undefined);
  const psi = (): number => {
    const v = Number($<HTMLInputElement>('psi').value);
    return Number.isFinite(v) ? Math.max(-2, Math.min(2, v)) : 1;
  };

  // ---- directions: one slider per stored direction ----
  const sliders: DirectionSlider[] = [];
  const dirBox = $('directions');
  if (!model.directions) {
    $('directions-note').textContent = "this model has no directions yet: run 'latentvj directions --model <dir>'";
  } else {
    for (const method of ['ganspace', 'sefa'] as const) {
      const set = model.directions[method];
      set.components.forEach((vector, k) => {
        const row = document.createElement('div');
        row.className = 'dir';
        const label = method === 'ganspace' ? `direction.${k}` : `direction.sefa.${k}`;
        const name = document.createElement('span');
        name.className = 'k';
        name.textContent = label;
        const input = document.createElement('input');
        Object.assign(input, { type: 'range', min: '-5', max: '5', step: '0.1', value: '0', id: `dir-${method}-${k}` });
        const value = document.createElement('span');
        value.className = 'value';
        value.textContent = '0';
        row.append(name, input, value);
        dirBox.append(row);
        const s = { label, sigma: set.sigmas[k]!, vector, input, value };
        input.addEventListener('input', () => {
          s.value.textContent = Number(input.value).toFixed(1);
          redraw();
        });
        sliders.push(s);
      });
    }
  }

  // ---- the current latent: A, blended toward B, nudged, stepped along the directions ----
  const raw = (): number[] | null => {
    if (!state.a) return null;
    const t = Number($<HTMLInputElement>('blend').value);
    let w = state.b ? lerp(state.a.w, state.b.w, t) : state.a.w.slice();
    if (state.nudge.length === w.length) w = w.map((x, i) => x + state.nudge[i]!);
    return stepAlong(w, sliders.map((s) => ({ amount: Number(s.input.value), sigma: s.sigma, vector: s.vector })));
  };
  state.current = () => {
    const w = raw();
    return w ? truncate(w, model.wAvg, psi()) : null;
  };

  // One render in flight; moves meanwhile coalesce into one more.
  let drawing = false;
  let dirty = false;
  const current = $<HTMLImageElement>('current');
  const redraw = (): void => {
    if (drawing) {
      dirty = true;
      return;
    }
    const w = state.current();
    if (!w) return;
    drawing = true;
    dirty = false;
    render({ w }, 1, false)
      .then((url) => {
        const old = current.src;
        current.src = url;
        if (old.startsWith('blob:')) URL.revokeObjectURL(old);
        state.renders++;
      })
      .catch((e: unknown) => status(`render: ${describe(e)}`, true))
      .finally(() => {
        drawing = false;
        if (dirty) redraw();
      });
  };
  const enable = (): void => {
    const has = state.a !== null;
    for (const id of ['add', 'nudge', 'reset-directions']) $<HTMLButtonElement>(id).disabled = !has;
    $<HTMLButtonElement>('unnudge').disabled = state.nudge.length === 0;
    $<HTMLInputElement>('blend').disabled = state.b === null;
    $<HTMLButtonElement>('clear-bank').disabled = state.bank.length === 0;
    $<HTMLButtonElement>('save').disabled = state.bank.length === 0;
    $('a-label').textContent = state.a ? `seed ${state.a.seed}` : '—';
    $('b-label').textContent = state.b ? `seed ${state.b.seed}` : '—';
  };

  // ---- the seed grid ----
  const grid = $('seeds');
  const choose = async (seed: number, which: 'a' | 'b', fig: HTMLElement): Promise<void> => {
    try {
      const [w] = await wOfSeeds([seed], cls());
      state[which] = { seed, w: w! };
      for (const f of grid.querySelectorAll(`figure.${which}`)) f.classList.remove(which);
      fig.classList.add(which);
      if (which === 'a') state.nudge = [];
      enable();
      redraw();
    } catch (e) {
      status(`seed ${seed}: ${describe(e)}`, true);
    }
  };
  const showSeeds = async (): Promise<void> => {
    const from = Math.max(0, Math.floor(Number($<HTMLInputElement>('seed-from').value) || 0));
    const count = Math.max(1, Math.min(64, Math.floor(Number($<HTMLInputElement>('seed-count').value) || 16)));
    for (const img of grid.querySelectorAll('img')) if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    grid.replaceChildren();
    state.seedsShown = [];
    state.thumbsLoaded = 0;
    const figs: Array<{ seed: number; img: HTMLImageElement }> = [];
    for (let seed = from; seed < from + count; seed++) {
      const fig = document.createElement('figure');
      fig.dataset.seed = String(seed);
      const img = document.createElement('img');
      img.alt = `seed ${seed}`;
      const cap = document.createElement('figcaption');
      cap.textContent = String(seed);
      const asB = document.createElement('button');
      asB.className = 'as-b';
      asB.textContent = 'B';
      asB.title = 'blend toward this seed';
      asB.addEventListener('click', (e) => {
        e.stopPropagation();
        void choose(seed, 'b', fig);
      });
      fig.addEventListener('click', () => void choose(seed, 'a', fig));
      fig.append(img, cap, asB);
      grid.append(fig);
      figs.push({ seed, img });
      state.seedsShown.push(seed);
    }
    // Two requests at a time: the engine paints one after the other anyway.
    const at = { i: 0 };
    const worker = async (): Promise<void> => {
      while (at.i < figs.length) {
        const f = figs[at.i++]!;
        try {
          const c = cls();
          f.img.src = await render(c === undefined ? { seed: f.seed } : { seed: f.seed, class: c }, psi(), true);
          state.thumbsLoaded++;
        } catch (e) {
          status(`seed ${f.seed}: ${describe(e)}`, true);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  };
  $('show-seeds').addEventListener('click', () => void showSeeds());
  $('next-seeds').addEventListener('click', () => {
    const from = $<HTMLInputElement>('seed-from');
    from.value = String(Number(from.value) + Number($<HTMLInputElement>('seed-count').value));
    void showSeeds();
  });
  classInput.addEventListener('change', () => void showSeeds());
  $('psi').addEventListener('change', () => {
    void showSeeds();
    redraw();
  });

  // ---- blend, nudge, directions ----
  $('blend').addEventListener('input', () => {
    $('blend-value').textContent = Number($<HTMLInputElement>('blend').value).toFixed(2);
    redraw();
  });
  $('nudge-size').addEventListener('input', () => ($('nudge-value').textContent = $<HTMLInputElement>('nudge-size').value));
  $('nudge').addEventListener('click', () => {
    if (!state.a) return;
    const size = Number($<HTMLInputElement>('nudge-size').value);
    if (state.nudge.length !== model.wDim) state.nudge = new Array<number>(model.wDim).fill(0);
    const gan = sliders.filter((s) => s.label.startsWith('direction.') && !s.label.includes('sefa'));
    if (gan.length > 0) {
      // A random step in the span of the principal directions, each by a normal draw of `size` σ.
      state.nudge = stepAlong(state.nudge, gan.map((s) => ({ amount: size * gaussian(), sigma: s.sigma, vector: s.vector })));
    } else {
      // No directions: an isotropic step scaled by how far A sits from the average.
      const spread = Math.sqrt(state.a.w.reduce((acc, x, i) => acc + (x - model.wAvg[i]!) ** 2, 0) / model.wDim);
      state.nudge = state.nudge.map((x) => x + size * spread * gaussian());
    }
    enable();
    redraw();
  });
  $('unnudge').addEventListener('click', () => {
    state.nudge = [];
    enable();
    redraw();
  });
  $('reset-directions').addEventListener('click', () => {
    for (const s of sliders) {
      s.input.value = '0';
      s.value.textContent = '0';
    }
    redraw();
  });

  // ---- the bank ----
  const bankBox = $('bank');
  $('add').addEventListener('click', () => {
    const w = state.current();
    if (!w) return;
    state.bank.push(w);
    const fig = document.createElement('figure');
    const img = document.createElement('img');
    img.alt = `bank latent ${state.bank.length - 1}`;
    const cap = document.createElement('figcaption');
    cap.textContent = String(state.bank.length - 1);
    fig.append(img, cap);
    bankBox.append(fig);
    render({ w }, 1, true)
      .then((url) => (img.src = url))
      .catch((e: unknown) => status(`bank picture: ${describe(e)}`, true));
    enable();
  });
  $('clear-bank').addEventListener('click', () => {
    state.bank = [];
    bankBox.replaceChildren();
    enable();
  });
  $('save').addEventListener('click', () => {
    const out = $('save-status');
    const name = $<HTMLInputElement>('bank-name').value.trim();
    saveBank(name, state.bank, $<HTMLInputElement>('replace').checked)
      .then((r) => {
        state.lastSave = r;
        out.classList.remove('error');
        out.textContent = `saved ${r.count} latents to ${r.file}; in a mapping beside it:\n${r.mapping}`;
      })
      .catch((e: unknown) => {
        out.classList.add('error');
        out.textContent = describe(e);
        state.errors.push(describe(e));
      });
  });

  enable();
  status('ready');
  await showSeeds();
  state.ready = true;
}

main().catch((e: unknown) => status(`cannot start: ${describe(e)}`, true));
