#!/usr/bin/python3
"""Cross-checks our NVIDIA-style forward pass (networks.py) against rosinality references made by the reference
implementation (kept outside this repository): loads their rosinality-64.pt into our Generator through
rosinality_layout.py and compares mapping and synthesis outputs. It is how make_rosinality.py's references were
validated; tests never need it.

  /usr/bin/python3 tools/nvidia-fixture/check_against_rosinality.py [path/to/fixtures/stylegan2]
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rosinality_layout  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'fixtures', 'stylegan2')
G = rosinality_layout.to_networks(torch.load(os.path.join(root, 'rosinality-64.pt'))['g_ema'])

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
