#!/usr/bin/python3
"""Cross-checks our NVIDIA-style forward pass (networks.py) against the shared rosinality references:
loads ../shared/fixtures/stylegan2/rosinality-64.pt into our Generator (the two implementations differ only
by where the weight gain sits before demodulation) and compares mapping and synthesis outputs.

  /usr/bin/python3 tools/nvidia-fixture/check_against_rosinality.py [path/to/fixtures/stylegan2]
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dnnlib  # noqa: E402
import networks  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'fixtures', 'stylegan2')
ck = torch.load(os.path.join(root, 'rosinality-64.pt'))
sd = ck['g_ema']
n_mlp = sum(1 for k in sd if k.startswith('style.') and k.endswith('.weight'))
style_dim = sd['style.1.weight'].shape[0]
chans = {4: sd['conv1.conv.weight'].shape[1]}
res, j = 8, 0
while f'convs.{j}.conv.weight' in sd:
    chans[res] = sd[f'convs.{j}.conv.weight'].shape[1]
    res, j = res * 2, j + 2
img_res = res // 2

G = networks.Generator(z_dim=style_dim, c_dim=0, w_dim=style_dim, img_resolution=img_res, img_channels=3,
                       mapping_kwargs=dnnlib.EasyDict(num_layers=n_mlp), synthesis_kwargs=dnnlib.EasyDict(channel_base=1, channel_max=1))
# Rebuild blocks with the checkpoint's channel counts.
for r in G.synthesis.block_resolutions:
    blk = networks.SynthesisBlock(chans[r // 2] if r > 4 else 0, chans[r], style_dim, r, 3, r == img_res)
    setattr(G.synthesis, f'b{r}', blk)


def copy(dst, src):
    with torch.no_grad():
        dst.copy_(src.reshape(dst.shape))


def layer(dst, prefix, noise_idx):
    copy(dst.weight, sd[f'{prefix}.conv.weight'][0])
    copy(dst.affine.weight, sd[f'{prefix}.conv.modulation.weight'])
    copy(dst.affine.bias, sd[f'{prefix}.conv.modulation.bias'])
    if noise_idx is not None:
        copy(dst.bias, sd[f'{prefix}.activate.bias'])
        copy(dst.noise_strength, sd[f'{prefix}.noise.weight'])
        copy(dst.noise_const, sd[f'noises.noise_{noise_idx}'])
    else:
        copy(dst.bias, sd[f'{prefix}.bias'])


for i in range(n_mlp):
    copy(getattr(G.mapping, f'fc{i}').weight, sd[f'style.{i + 1}.weight'])
    copy(getattr(G.mapping, f'fc{i}').bias, sd[f'style.{i + 1}.bias'])
copy(G.synthesis.b4.const, sd['input.input'][0])
layer(G.synthesis.b4.conv1, 'conv1', 0)
layer(G.synthesis.b4.torgb, 'to_rgb1', None)
for i, r in enumerate(G.synthesis.block_resolutions[1:]):
    blk = getattr(G.synthesis, f'b{r}')
    layer(blk.conv0, f'convs.{2 * i}', 2 * i + 1)
    layer(blk.conv1, f'convs.{2 * i + 1}', 2 * i + 2)
    layer(blk.torgb, f'to_rgbs.{i}', None)

z = torch.from_numpy(np.load(os.path.join(root, 'rosinality-64-z.npy')))
ws = torch.from_numpy(np.load(os.path.join(root, 'rosinality-64-ws.npy')))[None]
with torch.no_grad():
    w = G.mapping(z)[:, 0]
    img_const = G.synthesis(ws, noise_mode='const')[0]
    img_none = G.synthesis(ws, noise_mode='none')[0]
ref_w = np.load(os.path.join(root, 'rosinality-64-w-from-z.npy'))
ref_const = np.load(os.path.join(root, 'rosinality-64-img-noise-const.npy'))
ref_zero = np.load(os.path.join(root, 'rosinality-64-img-noise-zero.npy'))
errs = dict(mapping=np.abs(w.numpy() - ref_w).max(), noise_const=np.abs(img_const.numpy() - ref_const).max(),
            noise_zero=np.abs(img_none.numpy() - ref_zero).max())
print(' '.join(f'{k} max|diff|={v:.2e}' for k, v in errs.items()))
sys.exit(0 if max(errs.values()) < 1e-4 else 1)
