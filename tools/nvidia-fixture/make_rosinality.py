#!/usr/bin/python3
"""Writes a tiny rosinality-format StyleGAN2 checkpoint and its references into test/fixtures/rosinality/
(run with Debian's python3-torch):

  /usr/bin/python3 tools/nvidia-fixture/make_rosinality.py

- rosinality-64.pt: `torch.save({'g_ema': state_dict, 'latent_avg': w_avg})` (zip format, archive prefix
  `rosinality-64/`) with rosinality's key names, shapes and buffers (blur kernels, noise buffers): style_dim 64,
  2 mapping layers, 64×64, non-standard channel counts 32·32·24·16·8, random training-like values;
- rosinality-64-{z,w-from-z,ws,img-noise-const,img-noise-zero}.npy: references computed by our own NVIDIA-style
  forward pass (networks.py) through the layout mapping in rosinality_layout.py;
- rosinality-64-digest.json: per-tensor digests (shape, first values, sum, sum of squares) for the reader test.
Deterministic: the same seed writes the same tensors and references.
"""
import collections
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rosinality_layout  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'test', 'fixtures', 'rosinality'))
STYLE_DIM, N_MLP, SIZE = 64, 2, 64
CHANNELS = {4: 32, 8: 32, 16: 24, 32: 16, 64: 8}
LR_MLP = 0.01


def blur_kernel_x4():
    """make_kernel([1, 3, 3, 1]) scaled by the upsampling factor², as rosinality's Blur/Upsample buffers hold."""
    k = torch.tensor([1.0, 3.0, 3.0, 1.0])
    k = k[None, :] * k[:, None]
    return k / k.sum() * 4


def state_dict(gen):
    sd = collections.OrderedDict()
    randn = lambda *shape: torch.randn(*shape, generator=gen)  # noqa: E731
    for i in range(1, N_MLP + 1):
        # EqualLinear(lr_mul=0.01) stores weight / lr_mul; the bias is scaled by lr_mul at run time.
        sd[f'style.{i}.weight'] = randn(STYLE_DIM, STYLE_DIM) / LR_MLP
        sd[f'style.{i}.bias'] = randn(STYLE_DIM) * 10
    sd['input.input'] = randn(1, CHANNELS[4], 4, 4)

    def styled(prefix, cin, cout, up):
        sd[f'{prefix}.conv.weight'] = randn(1, cout, cin, 3, 3)
        if up:
            sd[f'{prefix}.conv.blur.kernel'] = blur_kernel_x4()
        sd[f'{prefix}.conv.modulation.weight'] = randn(cin, STYLE_DIM)
        sd[f'{prefix}.conv.modulation.bias'] = 1 + randn(cin) * 0.2
        sd[f'{prefix}.noise.weight'] = randn(1) * 0.5
        sd[f'{prefix}.activate.bias'] = randn(cout) * 0.2

    def to_rgb(prefix, cin, up):
        sd[f'{prefix}.bias'] = randn(1, 3, 1, 1) * 0.2
        if up:
            sd[f'{prefix}.upsample.kernel'] = blur_kernel_x4()
        sd[f'{prefix}.conv.weight'] = randn(1, 3, cin, 1, 1)
        sd[f'{prefix}.conv.modulation.weight'] = randn(cin, STYLE_DIM)
        sd[f'{prefix}.conv.modulation.bias'] = 1 + randn(cin) * 0.2

    styled('conv1', CHANNELS[4], CHANNELS[4], False)
    to_rgb('to_rgb1', CHANNELS[4], False)
    res = [r for r in sorted(CHANNELS) if r > 4]
    for i, r in enumerate(res):
        styled(f'convs.{2 * i}', CHANNELS[r // 2], CHANNELS[r], True)
        styled(f'convs.{2 * i + 1}', CHANNELS[r], CHANNELS[r], False)
    for i, r in enumerate(res):
        to_rgb(f'to_rgbs.{i}', CHANNELS[r], True)
    layer_res = [4] + [r for r in res for _ in (0, 1)]
    for i, r in enumerate(layer_res):
        sd[f'noises.noise_{i}'] = randn(1, 1, r, r)
    return sd


def save_npy(name, array):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array, dtype=np.float32))


def digest(sd, latent_avg, z):
    d = {k: dict(shape=list(v.shape), first=v.flatten()[:3].tolist(), sum=float(v.double().sum()),
                 sumsq=float((v.double() ** 2).sum())) for k, v in sd.items()}
    d['latent_avg'] = dict(shape=list(latent_avg.shape), first=latent_avg[:3].tolist(), sum=float(latent_avg.double().sum()),
                           sumsq=float((latent_avg.double() ** 2).sum()))
    d['z'] = dict(shape=list(z.shape), first=z.flatten()[:3].tolist(), sum=float(z.double().sum()), sumsq=float((z.double() ** 2).sum()))
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(64)
    sd = state_dict(gen)
    G = rosinality_layout.to_networks(sd)
    with torch.no_grad():  # rosinality's mean_latent: the mean of w over 4096 random z
        latent_avg = G.mapping(torch.randn(4096, STYLE_DIM, generator=gen))[:, 0].mean(0)
    torch.save({'g_ema': sd, 'latent_avg': latent_avg}, os.path.join(OUT, 'rosinality-64.pt'))

    z = torch.randn(1, STYLE_DIM, generator=gen)
    z2 = torch.randn(1, STYLE_DIM, generator=gen)
    with torch.no_grad():
        w = G.mapping(z)[:, 0]
        w2 = G.mapping(z2)[:, 0]
        num_ws = 2 * int(np.log2(SIZE)) - 2  # 9 convs + the last ToRGB, as rosinality's n_latent
        ws = torch.cat([w.repeat(num_ws // 2, 1), w2.repeat(num_ws - num_ws // 2, 1)])  # style mixing
        img_const = G.synthesis(ws[None], noise_mode='const')[0]
        img_zero = G.synthesis(ws[None], noise_mode='none')[0]
    save_npy('rosinality-64-z.npy', z)
    save_npy('rosinality-64-w-from-z.npy', w)
    save_npy('rosinality-64-ws.npy', ws)
    save_npy('rosinality-64-img-noise-const.npy', img_const)
    save_npy('rosinality-64-img-noise-zero.npy', img_zero)
    with open(os.path.join(OUT, 'rosinality-64-digest.json'), 'w') as f:
        json.dump(digest(sd, latent_avg, z), f, indent=0)
    print(f'wrote {OUT}: num_ws {num_ws}, image range [{img_const.min():.2f}, {img_const.max():.2f}]')


if __name__ == '__main__':
    main()
