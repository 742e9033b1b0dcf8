#!/usr/bin/python3
"""Writes the latent fixtures into test/fixtures/nvidia/ (run with Debian's python3-torch and python3-numpy):

  /usr/bin/python3 tools/nvidia-fixture/make_latent_fixtures.py

- numpy-randn.json: numpy's legacy RandomState(seed).randn(n) for a few seeds (float64, exact repr), the draws
  NVIDIA's generate.py makes for z; plus the first raw 32-bit outputs of MT19937 for two seeds;
- nvidia-32-seeds.npy: generate.py's picture for seeds 0, 7 and 42 from nvidia-32.pkl (psi 1, noise 'const'),
  [3 seeds, 3, 32, 32], the raw float image;
- nvidia-cond-16.pkl + nvidia-cond-16-img.npy: a class-conditional generator (c_dim 4) and its picture for
  seed 3 and each class 0..3 (psi 1) plus class 2 at psi 0.5, [5, 3, 16, 16];
- nvidia-wide-16.pkl + nvidia-wide-16-img.npy: a generator whose learned constant is 4x8 (as non-square forks
  make, noise buffers [res, 2 res]) and its picture for seed 5, [3, 16, 32].
Separate from make_fixtures.py so the older fixtures are not rewritten. Deterministic seeds.
"""
import json
import os
import pickle
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dnnlib  # noqa: E402
import networks  # noqa: E402
from make_fixtures import OUT, make_generator, randomise, save_npy  # noqa: E402


def numpy_randn():
    seeds = [0, 1, 7, 42, 5489, 123456789, 4294967295]
    values = {str(s): [float.__repr__(float(v)) for v in np.random.RandomState(s).randn(512)] for s in seeds}
    raw = {str(s): [int(v) for v in np.random.RandomState(s).randint(0, 2 ** 32, size=8, dtype=np.uint64)] for s in (0, 5489)}
    # randint with a 2**32 range and uint64 dtype draws one masked 32-bit output per value.
    with open(os.path.join(OUT, 'numpy-randn.json'), 'w') as f:
        json.dump(dict(what='np.random.RandomState(seed).randn(512), repr of each float64', n=512, randn=values,
                       uint32=raw), f, indent=0)


def upstream_image(G, seed, class_idx=None, psi=1.0):
    """generate.py: z = RandomState(seed).randn(1, z_dim) (float64); label one-hot; img = G(z, label, psi, 'const')."""
    z = torch.from_numpy(np.random.RandomState(seed).randn(1, G.z_dim))
    label = torch.zeros([1, G.c_dim])
    if class_idx is not None:
        label[:, class_idx] = 1
    with torch.no_grad():
        return G(z, label, truncation_psi=psi, noise_mode='const')[0].numpy()


def seed_images():
    with open(os.path.join(OUT, 'nvidia-32.pkl'), 'rb') as f:
        G = pickle.load(f)['G_ema']
    imgs = np.stack([upstream_image(G, s) for s in (0, 7, 42)])
    save_npy('nvidia-32-seeds.npy', imgs)
    print(f'nvidia-32 seeds 0/7/42: range [{imgs.min():.3f}, {imgs.max():.3f}]')


def conditional():
    torch.manual_seed(21)
    G = networks.Generator(
        z_dim=16, c_dim=4, w_dim=16, img_resolution=16, img_channels=3,
        mapping_kwargs=dnnlib.EasyDict(num_layers=2),
        synthesis_kwargs=dnnlib.EasyDict(channel_base=64, channel_max=8, num_fp16_res=0, conv_clamp=None),
    )
    randomise(G, torch.Generator().manual_seed(22))
    with torch.no_grad():
        G.mapping.embed.bias.copy_(torch.randn(G.mapping.embed.bias.shape, generator=torch.Generator().manual_seed(23)) * 0.2)
    G = G.eval().requires_grad_(False)
    with open(os.path.join(OUT, 'nvidia-cond-16.pkl'), 'wb') as f:
        pickle.dump(dict(G=G, D=None, G_ema=G, augment_pipe=None), f, protocol=4)
    imgs = [upstream_image(G, 3, k) for k in range(4)] + [upstream_image(G, 3, 2, psi=0.5)]
    imgs = np.stack(imgs)
    save_npy('nvidia-cond-16-img.npy', imgs)
    spread = float(np.abs(imgs[0] - imgs[1]).max())
    print(f'nvidia-cond-16: class 0 vs 1 max diff {spread:.3f}')


def wide():
    G = make_generator(seed=31, z_dim=16, w_dim=16, res=16, channel_base=64, channel_max=8, conv_clamp=None, num_layers=2)
    gen = torch.Generator().manual_seed(32)
    with torch.no_grad():
        b4 = G.synthesis.b4
        b4.const = torch.nn.Parameter(torch.randn([b4.const.shape[0], 4, 8], generator=gen), requires_grad=False)
        for name, mod in G.named_modules():
            if isinstance(mod, networks.SynthesisLayer) and mod.use_noise:
                r = mod.resolution
                mod.noise_const = torch.randn([r, 2 * r], generator=gen)
    with open(os.path.join(OUT, 'nvidia-wide-16.pkl'), 'wb') as f:
        pickle.dump(dict(G=G, D=None, G_ema=G, augment_pipe=None), f, protocol=4)
    img = upstream_image(G, 5)
    assert img.shape == (3, 16, 32), img.shape
    save_npy('nvidia-wide-16-img.npy', img)


def latent_files():
    """Bank files as the upstream tools write them, for a model with num_ws 4 and w_dim 6."""
    rs = np.random.RandomState(77)
    w = rs.randn(1, 6).astype(np.float32)
    # projector.py: np.savez(f'{outdir}/projected_w.npz', w=projected_w.unsqueeze(0).cpu().numpy()), w repeated on every row.
    np.savez(os.path.join(OUT, 'projected_w.npz'), w=np.repeat(w[:, None, :], 4, axis=1))
    two = rs.randn(2, 1, 6)
    np.save(os.path.join(OUT, 'wplus-2x4x6.npy'), np.repeat(two, 4, axis=1))  # float64, as numpy makes it
    np.save(os.path.join(OUT, 'wplus-mixed-1x4x6.npy'), rs.randn(1, 4, 6).astype(np.float32))
    with open(os.path.join(OUT, 'latent-files.json'), 'w') as f:
        json.dump(dict(projected_w=w[0].tolist(), wplus=two[:, 0].astype(np.float32).tolist()), f)


if __name__ == '__main__':
    latent_files()
    numpy_randn()
    seed_images()
    conditional()
    wide()
    for n in sorted(os.listdir(OUT)):
        if n.startswith(('projected_w', 'wplus', 'latent-files', 'numpy-randn', 'nvidia-32-seeds', 'nvidia-cond', 'nvidia-wide')):
            print(n, os.path.getsize(os.path.join(OUT, n)))
