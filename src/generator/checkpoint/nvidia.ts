/**
 * NVIDIA StyleGAN2 `.pkl` files (stylegan2-ada-pytorch, and the stylegan3 repo's networks_stylegan2).
 *
 * Their modules are pickled by `torch_utils.persistence`: each is `_reconstruct_persistent_obj(meta)` with
 * meta = { type: 'class', version, module_src, class_name, state } where `state` is the module's __dict__
 * (`_parameters`, `_buffers`, `_modules`, `_init_args`, `_init_kwargs`, and attributes such as
 * weight_gain, act_gain, conv_clamp). We build plain records from that; `module_src` is never executed
 * (only searched for the StyleGAN3 marker). Tensors inside come as torch.storage._load_from_bytes(legacy
 * torch.save bytes), handled by the torch reducers.
 *
 * Formulas of training/networks.py made explicit as gains:
 *   FullyConnectedLayer:  y = x·(W·weight_gain)ᵀ + b·bias_gain, weight_gain = lr/√in, bias_gain = lr
 *                         (mapping lr = 0.01; affine layers lr = 1, bias_init 1); lrelu ·√2 in the mapping
 *   SynthesisLayer:       s = affine(w); W' = W·s (no weight gain); demod = rsqrt(ΣW'² + 1e-8);
 *                         + noise_const·noise_strength; bias_act(lrelu, gain act_gain=√2, clamp conv_clamp)
 *   ToRGBLayer:           s = affine(w)·weight_gain (1/√(in·k²)); no demod; bias_act(linear, clamp conv_clamp)
 * W+ wiring (SynthesisNetwork.forward): each block takes num_conv + num_torgb rows starting at w_idx, and
 * w_idx advances by num_conv: b4.conv1 ← 0, b4.torgb ← 1, b8.conv0 ← 1, b8.conv1 ← 2, b8.torgb ← 3, …
 */
import type { FcWeights, ModConvWeights, StyleGan2Model } from '../types.js';
import { UserError } from '../../errors.js';
import { PyGlobal, PyObject, asMap, asNumber, getKey, type PyValue, type Reducer } from './pickle.js';
import { TorchTensor } from './torch.js';
import { StateDict, firTaps } from './weights.js';

const PERSISTENT = 'torch_utils.persistence._reconstruct_persistent_obj';

/** A module rebuilt from persistence meta: its class name, its source (never run) and its __dict__. */
export class PersistentModule extends PyObject {
  constructor(
    readonly persistentClass: string,
    readonly moduleSrc: string,
    meta: PyValue,
  ) {
    super(new PyGlobal('torch_utils.persistence', persistentClass), [meta]);
  }
}

/** Adds the persistence reconstructor to a reducer table (returns the same map). */
export function nvidiaReducers(base: Map<string, Reducer>): Map<string, Reducer> {
  base.set(PERSISTENT, (args) => {
    const meta = args[0];
    const className = getKey(meta, 'class_name');
    const src = getKey(meta, 'module_src');
    const state = getKey(meta, 'state');
    const obj = new PersistentModule(typeof className === 'string' ? className : '<unknown>', typeof src === 'string' ? src : '', meta ?? null);
    const m = asMap(state);
    if (m) for (const [k, v] of m) if (typeof k === 'string') obj.attrs.set(k, v);
    return obj;
  });
  return base;
}

function className(v: PyValue | undefined): string {
  if (v instanceof PersistentModule) return v.persistentClass;
  if (v instanceof PyObject) return v.className;
  return '';
}

/** Walks `_parameters`, `_buffers` and `_modules` like nn.Module.state_dict(). */
function collectTensors(module: PyValue | undefined, prefix: string, out: Map<string, TorchTensor>, classes: Map<string, PyObject>): void {
  if (!(module instanceof PyObject)) return;
  classes.set(prefix.replace(/\.$/, ''), module);
  for (const field of ['_parameters', '_buffers']) {
    const m = asMap(module.attrs.get(field));
    if (m) for (const [k, t] of m) if (typeof k === 'string' && t instanceof TorchTensor) out.set(prefix + k, t);
  }
  const subs = asMap(module.attrs.get('_modules'));
  if (subs) for (const [k, sub] of subs) if (typeof k === 'string') collectTensors(sub, `${prefix}${k}.`, out, classes);
}

/** A hyper-parameter: the module attribute, else its `_init_kwargs` entry. */
function hyper(module: PyValue | undefined, key: string): PyValue | undefined {
  if (!(module instanceof PyObject)) return undefined;
  const a = module.attrs.get(key);
  if (a !== undefined) return a;
  return getKey(module.attrs.get('_init_kwargs'), key);
}

function num(module: PyValue | undefined, key: string, fallback: number): number {
  return asNumber(hyper(module, key)) ?? fallback;
}

export function nvidiaModel(gEma: PyValue, source: StyleGan2Model['source']): StyleGan2Model {
  const file = source.file;
  if (!(gEma instanceof PyObject)) throw new UserError(`${file}: G_ema is not a pickled network module; expected an NVIDIA StyleGAN2 .pkl`);
  const tensors = new Map<string, TorchTensor>();
  const modules = new Map<string, PyObject>();
  collectTensors(gEma, '', tensors, modules);
  const synthesis = modules.get('synthesis');
  const mappingModule = modules.get('mapping');

  // StyleGAN3 (alias-free) generators share the pickle format but not the synthesis network.
  const sg3 =
    [...modules.values()].some((m) => className(m) === 'SynthesisInput') ||
    (synthesis instanceof PersistentModule && /class SynthesisInput\b/.test(synthesis.moduleSrc)) ||
    [...tensors.keys()].some((k) => /^synthesis\.(input\.|L\d+_)/.test(k));
  if (sg3) {
    throw new UserError(`${file}: a StyleGAN3 (alias-free) generator; latentvj reads StyleGAN2 networks only (stylegan2-ada-pytorch or the stylegan3 repo's stylegan2 configs)`);
  }
  if (!synthesis || !mappingModule || tensors.size === 0) {
    throw new UserError(`${file}: G_ema (${className(gEma) || 'unknown class'}) has no mapping/synthesis modules with tensors; expected an NVIDIA StyleGAN2 generator`);
  }
  const cDim = num(gEma, 'c_dim', 0);
  if ((cDim > 0) !== tensors.has('mapping.embed.weight')) {
    throw new UserError(
      `${file}: c_dim is ${cDim} but the mapping ${tensors.has('mapping.embed.weight') ? 'has' : 'has no'} class embedding (mapping.embed); expected a consistent NVIDIA StyleGAN2 generator`,
    );
  }

  const sd = new StateDict(file, 'G_ema', tensors);
  const sqrt2 = Math.SQRT2;

  // Mapping: fc0 … fc{n-1}, gains recorded on each layer (lr_multiplier baked in).
  const mapKw = getKey(gEma.attrs.get('_init_kwargs'), 'mapping_kwargs');
  const lrMul = asNumber(getKey(mapKw, 'lr_multiplier')) ?? asNumber(getKey(mappingModule.attrs.get('_init_kwargs'), 'lr_multiplier')) ?? 0.01;
  const mapping: FcWeights[] = [];
  for (let i = 0; sd.has(`mapping.fc${i}.weight`); i++) {
    const layer = modules.get(`mapping.fc${i}`);
    const weight = sd.get(`mapping.fc${i}.weight`);
    const act = hyper(layer, 'activation');
    if (act !== undefined && act !== 'lrelu') throw new UserError(`${file}: mapping.fc${i} uses activation '${String(act)}', expected 'lrelu'`);
    mapping.push({
      weight,
      bias: sd.has(`mapping.fc${i}.bias`) ? sd.get(`mapping.fc${i}.bias`) : null,
      weightGain: num(layer, 'weight_gain', lrMul / Math.sqrt(weight.shape[1] as number)),
      biasGain: num(layer, 'bias_gain', lrMul),
    });
  }
  if (mapping.length === 0) throw new UserError(`${file}: G_ema.mapping has no fc layers (mapping.fc0.weight …); expected an NVIDIA StyleGAN2 generator`);
  // Conditional: embed = FullyConnectedLayer(c_dim, embed_features), lr 1, linear (its gains as recorded).
  let embed: FcWeights | null = null;
  if (cDim > 0) {
    const e = sd.get('mapping.embed.weight');
    if ((e.shape[1] as number) !== cDim) throw new UserError(`${file}: mapping.embed takes ${e.shape[1]} inputs but c_dim is ${cDim}`);
    const layer = modules.get('mapping.embed');
    embed = {
      weight: e,
      bias: sd.has('mapping.embed.bias') ? sd.get('mapping.embed.bias') : null,
      weightGain: num(layer, 'weight_gain', 1 / Math.sqrt(cDim)),
      biasGain: num(layer, 'bias_gain', 1),
    };
  }
  const embedFeatures = embed ? (embed.weight.shape[0] as number) : 0;
  const zDim = num(gEma, 'z_dim', (mapping[0]?.weight.shape[1] as number) - embedFeatures);
  const wDim = num(gEma, 'w_dim', mapping[mapping.length - 1]?.weight.shape[0] as number);
  if ((mapping[0]?.weight.shape[1] as number) !== zDim + embedFeatures) {
    const what = embed ? `z_dim ${zDim} + class embedding ${embedFeatures} = ${zDim + embedFeatures}` : `z_dim is ${zDim}`;
    throw new UserError(`${file}: mapping.fc0 takes ${mapping[0]?.weight.shape[1]} inputs but ${what}`);
  }

  // Synthesis blocks b4, b8, … found from the tensors; the architecture must be 'skip'.
  const blocks: number[] = [];
  for (let res = 4; sd.has(`synthesis.b${res}.conv1.weight`); res *= 2) blocks.push(res);
  if (blocks.length === 0 || !sd.has('synthesis.b4.const')) {
    throw new UserError(`${file}: G_ema.synthesis has no b4.const / b4.conv1; expected an NVIDIA StyleGAN2 synthesis network`);
  }
  const resolution = blocks[blocks.length - 1] as number;
  const imgRes = num(gEma, 'img_resolution', resolution);
  if (imgRes !== resolution) throw new UserError(`${file}: img_resolution is ${imgRes} but the synthesis blocks reach ${resolution}`);
  for (const res of blocks) {
    const block = modules.get(`synthesis.b${res}`);
    const arch = hyper(block, 'architecture') ?? getKey(getKey(gEma.attrs.get('_init_kwargs'), 'synthesis_kwargs'), 'architecture') ?? 'skip';
    const missingRgb = !sd.has(`synthesis.b${res}.torgb.weight`);
    if (arch !== 'skip' || sd.has(`synthesis.b${res}.skip.weight`) || missingRgb) {
      const name = typeof arch === 'string' && arch !== 'skip' ? arch : missingRgb ? 'orig' : 'resnet';
      throw new UserError(`${file}: synthesis architecture '${name}' (block b${res}); latentvj supports the 'skip' generator architecture (the StyleGAN2 default) only`);
    }
  }

  const modConv = (key: string, name: string, res: number, wIndex: number, up: boolean, toRgb: boolean): ModConvWeights => {
    const layer = modules.get(`synthesis.${key}`);
    const weight = sd.get(`synthesis.${key}.weight`);
    const [outC, inC, k] = weight.shape as [number, number, number];
    const affineLayer = modules.get(`synthesis.${key}.affine`);
    const affineW = sd.get(`synthesis.${key}.affine.weight`);
    const clampV = hyper(layer, 'conv_clamp');
    const clamp = asNumber(clampV);
    const hasNoise = sd.has(`synthesis.${key}.noise_strength`);
    const act = toRgb ? 'linear' : hyper(layer, 'activation') ?? 'lrelu';
    if (act !== 'lrelu' && act !== 'linear') throw new UserError(`${file}: synthesis.${key} uses activation '${String(act)}', expected 'lrelu'`);
    return {
      name,
      resolution: res,
      inChannels: inC,
      outChannels: outC,
      kernel: k,
      up,
      affine: {
        weight: affineW,
        bias: sd.get(`synthesis.${key}.affine.bias`),
        weightGain: num(affineLayer, 'weight_gain', 1 / Math.sqrt(affineW.shape[1] as number)),
        biasGain: num(affineLayer, 'bias_gain', 1),
      },
      weight,
      weightGain: 1,
      styleGain: toRgb ? num(layer, 'weight_gain', 1 / Math.sqrt(inC * k * k)) : 1,
      demodulate: !toRgb,
      bias: sd.get(`synthesis.${key}.bias`),
      noise: hasNoise
        ? {
            strength: sd.scalar(`synthesis.${key}.noise_strength`),
            constNoise: sd.has(`synthesis.${key}.noise_const`) ? sd.get(`synthesis.${key}.noise_const`) : null,
          }
        : null,
      activation: act,
      activationGain: toRgb ? 1 : num(layer, 'act_gain', act === 'lrelu' ? sqrt2 : 1),
      clamp,
      wIndex,
    };
  };

  const convs: ModConvWeights[] = [];
  const toRgb: ModConvWeights[] = [];
  let wIdx = 0;
  for (const res of blocks) {
    if (res === 4) {
      convs.push(modConv('b4.conv1', 'b4.conv1', 4, wIdx, false, false));
      toRgb.push(modConv('b4.torgb', 'b4.torgb', 4, wIdx + 1, false, true));
      wIdx += 1;
    } else {
      convs.push(modConv(`b${res}.conv0`, `b${res}.conv0`, res, wIdx, true, false));
      convs.push(modConv(`b${res}.conv1`, `b${res}.conv1`, res, wIdx + 1, false, false));
      toRgb.push(modConv(`b${res}.torgb`, `b${res}.torgb`, res, wIdx + 2, false, true));
      wIdx += 2;
    }
  }
  const numWs = wIdx + 1;
  const declaredWs = asNumber(hyper(synthesis, 'num_ws'));
  if (declaredWs !== null && declaredWs !== numWs) throw new UserError(`${file}: synthesis.num_ws is ${declaredWs}, the blocks use ${numWs}`);
  for (const c of [...convs, ...toRgb]) {
    if ((c.affine.weight.shape[1] as number) !== wDim) throw new UserError(`${file}: synthesis.${c.name}.affine takes ${c.affine.weight.shape[1]} inputs, w_dim is ${wDim}`);
  }

  const filterKey = blocks.length > 1 ? `synthesis.b${blocks[1]}.resample_filter` : null;
  const blurKernel = filterKey && sd.has(filterKey) ? firTaps(sd.get(filterKey), file, filterKey) : [1, 3, 3, 1];

  let wAvg: Float32Array | null = null;
  if (sd.has('mapping.w_avg')) {
    const t = sd.get('mapping.w_avg');
    if (t.data.length !== wDim) throw new UserError(`${file}: mapping.w_avg holds ${t.data.length} values, expected w_dim ${wDim}`);
    wAvg = t.data;
  }
  const constInput = sd.get('synthesis.b4.const');
  return {
    source,
    zDim,
    wDim,
    numWs,
    resolution,
    imgChannels: num(gEma, 'img_channels', toRgb[0]?.outChannels as number),
    mapping: { layers: mapping, normalizeZ: zDim > 0, activationGain: sqrt2, embed },
    cDim,
    wAvg,
    constInput,
    convs,
    toRgb,
    blurKernel,
  };
}


