#!/usr/bin/env python3
"""StyleGAN2 synthesis network in plain PyTorch, for the generator benchmark's peer.

Reads the weights written by tools/torch-bench/exportWeights.ts (model.json + one .npy per tensor) and runs
the same architecture as our ONNX graph: modulated 3x3 convs with demodulation (NVIDIA's fused form:
per-sample modulated weights, one conv), transposed-conv upsampling followed by the [1,3,3,1] FIR blur,
per-layer constant noise times its learned strength, bias + leaky ReLU(0.2)*sqrt(2) (optional clamp),
skip-architecture ToRGB with FIR upsampling of the running image. Formulas as in NVIDIA's
stylegan2-ada-pytorch training/networks.py (modulated_conv2d, SynthesisLayer, ToRGBLayer) and
torch_utils/ops/conv2d_resample.py / upfirdn2d.py; written here, not copied.

Usage:
  stylegan2_torch.py --weights DIR --ws ws.npy [--threads N] [--frames N] [--out-raw raw.npy]
Prints one JSON line: {"msMedian", "msP95", "msMean", "frames", "threads", "torch"}.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


UPCONV = "transpose"


def zero_insert(x):
    """[N, C, H, W] -> [N, C, 2H-1, 2W-1] with the values at even positions, zeros between."""
    n, c, h, w = x.shape
    y = x.new_zeros(n, c, h, 2, w, 2)
    y[:, :, :, 0, :, 0] = x
    return y.reshape(n, c, 2 * h, 2 * w)[:, :, : 2 * h - 1, : 2 * w - 1]


def load(weights_dir, name):
    return torch.from_numpy(np.load(os.path.join(weights_dir, name + ".npy")))


class Layer:
    def __init__(self, d, spec):
        self.spec = spec
        n = spec["name"]
        self.aw = (load(d, n + ".affine.weight") * spec["affineWeightGain"]).contiguous()
        self.ab = load(d, n + ".affine.bias") * spec["affineBiasGain"]
        self.weight = load(d, n + ".weight") * spec["weightGain"]
        self.bias = load(d, n + ".bias")
        self.noise = None
        if spec["noiseStrength"] is not None and os.path.exists(os.path.join(d, n + ".noise.npy")):
            self.noise = (load(d, n + ".noise") * spec["noiseStrength"]).reshape(1, 1, spec["resolution"], spec["resolution"])

    def __call__(self, x, w, blur):
        s = self.spec
        styles = (F.linear(w, self.aw, self.ab) * s["styleGain"]).reshape(1, -1, 1, 1)
        wmod = self.weight * styles  # [out, in, k, k] (batch 1: one modulated weight)
        if s["demodulate"]:
            wmod = wmod * torch.rsqrt(wmod.square().sum(dim=[1, 2, 3], keepdim=True) + 1e-8)
        if s["up"]:
            # Transposed conv (stride 2, no padding): [H] -> [2H+1]; then the FIR blur (gain 4, pad 1) -> [2H].
            if UPCONV == "transpose":
                x = F.conv_transpose2d(x, wmod.transpose(0, 1), stride=2)
            else:
                # The same transposed conv as zero insertion + a plain conv with the flipped kernel: 4x the
                # multiply-adds, but it runs on oneDNN, where this build's conv_transpose2d takes a slow path.
                k = s["kernel"]
                x = F.conv2d(F.pad(zero_insert(x), (k - 1, k - 1, k - 1, k - 1)), wmod.flip(2, 3))
            c = x.shape[1]
            x = F.conv2d(F.pad(x, (1, 1, 1, 1)), blur.expand(c, 1, 4, 4) * 4, groups=c)
        else:
            x = F.conv2d(x, wmod, padding=s["kernel"] // 2)
        if self.noise is not None:
            x = x + self.noise
        x = x + self.bias.reshape(1, -1, 1, 1)
        if s["activation"] == "lrelu":
            x = F.leaky_relu(x, 0.2)
        if s["activationGain"] != 1:
            x = x * s["activationGain"]
        if s["clamp"] is not None:
            x = x.clamp(-s["clamp"], s["clamp"])
        return x


class Synthesis:
    def __init__(self, d):
        with open(os.path.join(d, "model.json")) as f:
            self.spec = json.load(f)
        k = torch.tensor(self.spec["blurKernel"], dtype=torch.float32)
        k2 = torch.outer(k, k)
        self.blur = (k2 / k2.sum()).reshape(1, 1, 4, 4)
        self.const = load(d, "const").unsqueeze(0)
        self.convs = [Layer(d, s) for s in self.spec["convs"]]
        self.torgb = [Layer(d, s) for s in self.spec["toRgb"]]

    def upsample_img(self, img):
        # upfirdn2d up=2, pad (2,1), gain 4 == a depthwise transposed conv with the 4x4 filter, stride 2, padding 1.
        return F.conv_transpose2d(img, self.blur.expand(3, 1, 4, 4) * 4, stride=2, padding=1, groups=3)

    def __call__(self, ws):
        x = self.const
        img = None
        ci = 0
        for ti, rgb in enumerate(self.torgb):
            n = 1 if ti == 0 else 2
            for _ in range(n):
                layer = self.convs[ci]
                x = layer(x, ws[layer.spec["wIndex"]], self.blur)
                ci += 1
            y = rgb(x, ws[rgb.spec["wIndex"]], self.blur)
            img = y if img is None else self.upsample_img(img) + y
        return img[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--ws", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--frames", type=int, default=20)
    p.add_argument("--out-raw")
    p.add_argument("--upconv", choices=["auto", "transpose", "zero-insert"], default="auto",
                   help="how the upsampling conv runs; auto times both once and keeps the faster")
    a = p.parse_args()
    global UPCONV
    torch.set_num_threads(a.threads)
    g = Synthesis(a.weights)
    ws = torch.from_numpy(np.load(a.ws).astype(np.float32)).reshape(-1, g.spec["wDim"])
    times = []
    with torch.inference_mode():
        choices = ["transpose", "zero-insert"] if a.upconv == "auto" else [a.upconv]
        best = None
        for choice in choices:
            UPCONV = choice
            g(ws)  # warm-up
            t0 = time.perf_counter()
            g(ws)
            dt = time.perf_counter() - t0
            if best is None or dt < best[1]:
                best = (choice, dt)
        UPCONV = best[0]
        img = g(ws)
        for _ in range(a.frames):
            t0 = time.perf_counter()
            img = g(ws)
            times.append((time.perf_counter() - t0) * 1000)
    if a.out_raw:
        np.save(a.out_raw, img.numpy().astype(np.float32))
    order = list(times)
    times.sort()
    print(json.dumps({
        "times": order,
        "msMedian": times[len(times) // 2],
        "msP95": times[min(len(times) - 1, math.ceil(len(times) * 0.95) - 1)],
        "msMean": sum(times) / len(times),
        "frames": len(times),
        "threads": torch.get_num_threads(),
        "upconv": UPCONV,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
