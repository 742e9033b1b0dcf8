#!/usr/bin/env python3
"""The render benchmark's PyTorch peer: rosinality's stylegan2-pytorch `Generator` (the code maua-stylegan2 builds
on), imported from the user's own checkout, never from this repository (we do not ship others' code).

Two steps, so both sides run the very same weights:
  upstream_rosinality.py --ref DIR write --size 256 --out g.pt --ws-out ws.npy
      builds upstream's Generator(size, 512, 8, channel_multiplier=2) with its own (seeded) random init, noise
      strengths set to 0.1 (upstream starts them at 0, which would leave the noise path out of the comparison),
      and saves {'g_ema': state_dict, 'latent_avg': mean_latent(4096)}: a rosinality checkpoint, which our
      converter reads. ws.npy is one W+ [n_latent, 512] from the mapping network.
  upstream_rosinality.py --ref DIR time --checkpoint g.pt --ws ws.npy --threads N --frames N [--out-raw img.npy]
      loads it into upstream's Generator and times `frames` synthesis passes (W+ in, the stored noise buffers,
      no gradients) after two warm-ups. Prints one JSON line {"times": [ms...], "threads", "torch", "device"}.

CPU: upstream's op/fused_act.py and op/upfirdn2d.py compile their CUDA kernels with
torch.utils.cpp_extension.load() when imported, which fails where there is no CUDA toolkit. On CPU tensors the
model never calls those kernels (fused_leaky_relu and upfirdn2d take their native PyTorch branches, and
conv2d_gradfix falls back to torch.nn.functional), so `load` is replaced before the import by one that builds
nothing and fails loudly if a kernel were ever called. The forward pass timed is upstream's own CPU path, unchanged.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.utils.cpp_extension as cpp_extension


class _NotBuilt:
    """Stands in for a CUDA extension that was not compiled: any use says so."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        raise RuntimeError(f"upstream CUDA op '{self._name}.{attr}' was called on the CPU path; it was not built")


def import_generator(ref):
    model_py = os.path.join(ref, "model.py")
    if not os.path.isfile(model_py):
        raise SystemExit(f"LATENTVJ_TORCH_REF={ref}: no model.py there (expected a checkout of rosinality/stylegan2-pytorch)")
    cpp_extension.load = lambda name, *args, **kwargs: _NotBuilt(name)
    sys.path.insert(0, os.path.abspath(ref))
    from model import Generator  # noqa: E402  (upstream's module, from the user's checkout)

    return Generator


def build(Generator, size):
    return Generator(size, 512, 8, channel_multiplier=2).eval()


def write(args, Generator):
    torch.manual_seed(args.seed)
    g = build(Generator, args.size)
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith("noise.weight"):
                p.fill_(0.1)
        latent_avg = g.mean_latent(4096)[0]
        z = torch.randn(1, 512)
        w = g.style(z)
        ws = w.repeat(g.n_latent, 1)
    torch.save({"g_ema": g.state_dict(), "latent_avg": latent_avg}, args.out)
    np.save(args.ws_out, ws.numpy().astype(np.float32))
    print(json.dumps({"numWs": g.n_latent, "size": args.size}))


def time_it(args, Generator):
    torch.set_num_threads(args.threads)
    ckpt = torch.load(args.checkpoint, map_location="cpu")
    # One ToRGB per resolution from 8 up: the checkpoint's size without asking for it.
    to_rgbs = len([k for k in ckpt["g_ema"] if k.startswith("to_rgbs.") and k.count(".") == 2 and k.endswith(".bias")])
    g = build(Generator, 2 ** (to_rgbs + 2))
    g.load_state_dict(ckpt["g_ema"])
    ws = torch.from_numpy(np.load(args.ws)).unsqueeze(0)
    times = []
    with torch.no_grad():
        for i in range(args.frames + 2):
            t0 = time.perf_counter()
            img, _ = g([ws], input_is_latent=True, randomize_noise=False)
            ms = (time.perf_counter() - t0) * 1000
            if i >= 2:
                times.append(ms)
    if args.out_raw:
        np.save(args.out_raw, img[0].numpy().astype(np.float32))
    print(json.dumps({"times": times, "threads": torch.get_num_threads(), "torch": torch.__version__, "device": "cpu"}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", required=True, help="a checkout of rosinality/stylegan2-pytorch (model.py, op/)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--size", type=int, default=256)
    w.add_argument("--seed", type=int, default=1)
    w.add_argument("--out", required=True)
    w.add_argument("--ws-out", required=True)
    t = sub.add_parser("time")
    t.add_argument("--checkpoint", required=True)
    t.add_argument("--ws", required=True)
    t.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    t.add_argument("--frames", type=int, default=5)
    t.add_argument("--out-raw")
    args = ap.parse_args()
    Generator = import_generator(args.ref)
    if args.cmd == "write":
        write(args, Generator)
    else:
        time_it(args, Generator)


if __name__ == "__main__":
    main()
