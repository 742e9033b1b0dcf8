"""A minimal StyleGAN2 generator with the module names, attributes and pickle format of NVIDIA's
stylegan2-ada-pytorch (training/networks.py), written for latentvj's test fixtures.

The forward pass is our own implementation of the reference definitions (formulas only):
  normalize_2nd_moment: x * rsqrt(mean(x^2) + 1e-8)
  FullyConnectedLayer:  y = x @ (W * lr/sqrt(in)).T + b * lr, then lrelu(0.2) * sqrt(2)
  mapping truncation:   w = w_avg + psi * (w - w_avg) on every layer
  SynthesisLayer:       s = affine(w); x = conv(x * s, W) [up: transposed conv stride 2 + FIR [1,3,3,1]
                        padding (1,1) gain 4]; x = x * rsqrt(sum((W*s)^2) + 1e-8) (+ noise_const * strength);
                        x = clamp(lrelu(x + b) * sqrt(2), +-conv_clamp)
  ToRGBLayer:           s = affine(w) / sqrt(in); x = conv1x1(x * s, W); clamp(x + b, +-conv_clamp)
  SynthesisBlock(skip): img = upsample2d(img, f) + torgb(x)   (upsample2d: zero-insert x2, pad (2,1), FIR gain 4)
No fp16, no fused modconv: the float32 path only.
"""
import numpy as np
import torch
import torch.nn.functional as F

from torch_utils.persistence import Persistent

Persistent._module_src = open(__file__).read()

SQRT2 = float(np.sqrt(2))


def normalize_2nd_moment(x, eps=1e-8):
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


def fir_filter(taps=(1, 3, 3, 1)):
    f = torch.as_tensor(taps, dtype=torch.float32)
    f = torch.outer(f, f)
    return f / f.sum()


def fir(x, f, pad, gain):
    """Pads x by pad=(x0, x1, y0, y1) and convolves each channel with f * gain (f is symmetric)."""
    c = x.shape[1]
    x = F.pad(x, [pad[0], pad[1], pad[2], pad[3]])
    k = (f * gain).flip([0, 1])[None, None].repeat(c, 1, 1, 1)
    return F.conv2d(x, k, groups=c)


def upsample2d(x, f):
    n, c, h, w = x.shape
    up = torch.zeros(n, c, h * 2, w * 2, dtype=x.dtype)
    up[:, :, ::2, ::2] = x
    return fir(up, f, (2, 1, 2, 1), 4.0)


class FullyConnectedLayer(torch.nn.Module, Persistent):
    def __init__(self, in_features, out_features, bias=True, activation='linear', lr_multiplier=1, bias_init=0):
        super().__init__()
        self.activation = activation
        self.weight = torch.nn.Parameter(torch.randn([out_features, in_features]) / lr_multiplier)
        self.bias = torch.nn.Parameter(torch.full([out_features], np.float32(bias_init))) if bias else None
        # np.float64 on purpose: NVIDIA's pickles carry numpy scalars here.
        self.weight_gain = lr_multiplier / np.sqrt(in_features)
        self.bias_gain = lr_multiplier
        self._record_init((in_features, out_features), dict(bias=bias, activation=activation, lr_multiplier=lr_multiplier, bias_init=bias_init))

    def forward(self, x):
        w = self.weight * float(self.weight_gain)
        x = x.matmul(w.t())
        if self.bias is not None:
            x = x + self.bias * float(self.bias_gain)
        if self.activation == 'lrelu':
            x = F.leaky_relu(x, 0.2) * SQRT2
        return x


class MappingNetwork(torch.nn.Module, Persistent):
    def __init__(self, z_dim, c_dim, w_dim, num_ws, num_layers=8, lr_multiplier=0.01, w_avg_beta=0.995):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws, self.num_layers = z_dim, c_dim, w_dim, num_ws, num_layers
        self.w_avg_beta = w_avg_beta
        # Conditional: the label is embedded (FullyConnectedLayer(c_dim, w_dim), lr 1), normalised like z and
        # concatenated after it; the embedding is created first, as upstream does.
        embed_features = w_dim if c_dim > 0 else 0
        if c_dim > 0:
            self.embed = FullyConnectedLayer(c_dim, embed_features)
        features = [z_dim + embed_features] + [w_dim] * num_layers
        for idx in range(num_layers):
            setattr(self, f'fc{idx}', FullyConnectedLayer(features[idx], features[idx + 1], activation='lrelu', lr_multiplier=lr_multiplier))
        self.register_buffer('w_avg', torch.zeros([w_dim]))
        self._record_init((), dict(z_dim=z_dim, c_dim=c_dim, w_dim=w_dim, num_ws=num_ws, num_layers=num_layers, lr_multiplier=lr_multiplier))

    def forward(self, z, c=None, truncation_psi=1.0):
        x = normalize_2nd_moment(z.to(torch.float32))
        if self.c_dim > 0:
            y = normalize_2nd_moment(self.embed(c.to(torch.float32)))
            x = torch.cat([x, y], dim=1)
        for idx in range(self.num_layers):
            x = getattr(self, f'fc{idx}')(x)
        x = x.unsqueeze(1).repeat([1, self.num_ws, 1])
        if truncation_psi != 1:
            x = self.w_avg + truncation_psi * (x - self.w_avg)
        return x


def modulated_conv(x, weight, styles, up, f, demodulate=True, noise=None):
    batch = x.shape[0]
    out_c, in_c, kh, kw = weight.shape
    if demodulate:
        w = weight[None] * styles.reshape(batch, 1, -1, 1, 1)
        dcoefs = (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt()
    x = x * styles.reshape(batch, -1, 1, 1)
    if up:
        # Transposed conv, stride 2, no padding (size 2H+1), then the FIR with padding (1, 1) and gain 4.
        x = F.conv_transpose2d(x, weight.transpose(0, 1), stride=2)
        x = fir(x, f, (1, 1, 1, 1), 4.0)
    else:
        x = F.conv2d(x, weight, padding=kh // 2)
    if demodulate:
        x = x * dcoefs.reshape(batch, -1, 1, 1)
    if noise is not None:
        x = x + noise
    return x


class SynthesisLayer(torch.nn.Module, Persistent):
    def __init__(self, in_channels, out_channels, w_dim, resolution, kernel_size=3, up=1, use_noise=True, activation='lrelu', conv_clamp=None):
        super().__init__()
        self.resolution, self.up, self.use_noise, self.activation, self.conv_clamp = resolution, up, use_noise, activation, conv_clamp
        self.register_buffer('resample_filter', fir_filter())
        self.padding = kernel_size // 2
        self.act_gain = np.sqrt(2)
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([out_channels, in_channels, kernel_size, kernel_size]))
        if use_noise:
            self.register_buffer('noise_const', torch.randn([resolution, resolution]))
            self.noise_strength = torch.nn.Parameter(torch.zeros([]))
        self.bias = torch.nn.Parameter(torch.zeros([out_channels]))
        self._record_init((), dict(in_channels=in_channels, out_channels=out_channels, w_dim=w_dim, resolution=resolution, kernel_size=kernel_size, up=up, use_noise=use_noise, activation=activation, conv_clamp=conv_clamp))

    def forward(self, x, w, noise_mode='const'):
        styles = self.affine(w)
        noise = self.noise_const * self.noise_strength if (self.use_noise and noise_mode == 'const') else None
        x = modulated_conv(x, self.weight, styles, self.up == 2, self.resample_filter, noise=noise)
        x = F.leaky_relu(x + self.bias.reshape(1, -1, 1, 1), 0.2) * float(self.act_gain)
        if self.conv_clamp is not None:
            x = x.clamp(-self.conv_clamp, self.conv_clamp)
        return x


class ToRGBLayer(torch.nn.Module, Persistent):
    def __init__(self, in_channels, out_channels, w_dim, kernel_size=1, conv_clamp=None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([out_channels, in_channels, kernel_size, kernel_size]))
        self.bias = torch.nn.Parameter(torch.zeros([out_channels]))
        self.weight_gain = 1 / np.sqrt(in_channels * (kernel_size ** 2))
        self._record_init((), dict(in_channels=in_channels, out_channels=out_channels, w_dim=w_dim, kernel_size=kernel_size, conv_clamp=conv_clamp))

    def forward(self, x, w):
        styles = self.affine(w) * float(self.weight_gain)
        x = modulated_conv(x, self.weight, styles, False, None, demodulate=False)
        x = x + self.bias.reshape(1, -1, 1, 1)
        if self.conv_clamp is not None:
            x = x.clamp(-self.conv_clamp, self.conv_clamp)
        return x


class SynthesisBlock(torch.nn.Module, Persistent):
    def __init__(self, in_channels, out_channels, w_dim, resolution, img_channels, is_last, architecture='skip', conv_clamp=None):
        super().__init__()
        self.in_channels, self.w_dim, self.resolution, self.img_channels = in_channels, w_dim, resolution, img_channels
        self.is_last, self.architecture, self.use_fp16 = is_last, architecture, False
        self.num_conv = 0
        self.num_torgb = 0
        self.register_buffer('resample_filter', fir_filter())
        if in_channels == 0:
            self.const = torch.nn.Parameter(torch.randn([out_channels, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, w_dim, resolution, up=2, conv_clamp=conv_clamp)
            self.num_conv += 1
        self.conv1 = SynthesisLayer(out_channels, out_channels, w_dim, resolution, conv_clamp=conv_clamp)
        self.num_conv += 1
        self.torgb = ToRGBLayer(out_channels, img_channels, w_dim, conv_clamp=conv_clamp)
        self.num_torgb += 1
        self._record_init((), dict(in_channels=in_channels, out_channels=out_channels, w_dim=w_dim, resolution=resolution, img_channels=img_channels, is_last=is_last, architecture=architecture, conv_clamp=conv_clamp))

    def forward(self, x, img, ws, noise_mode):
        w = iter(ws.unbind(dim=1))
        if self.in_channels == 0:
            x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
            x = self.conv1(x, next(w), noise_mode)
        else:
            x = self.conv0(x, next(w), noise_mode)
            x = self.conv1(x, next(w), noise_mode)
        if img is not None:
            img = upsample2d(img, self.resample_filter)
        y = self.torgb(x, next(w))
        img = y if img is None else img + y
        return x, img


class SynthesisNetwork(torch.nn.Module, Persistent):
    def __init__(self, w_dim, img_resolution, img_channels, channel_base=32768, channel_max=512, conv_clamp=None, num_fp16_res=0):
        super().__init__()
        self.w_dim, self.img_resolution, self.img_channels = w_dim, img_resolution, img_channels
        self.img_resolution_log2 = int(np.log2(img_resolution))
        self.block_resolutions = [2 ** i for i in range(2, self.img_resolution_log2 + 1)]
        channels = {res: min(channel_base // res, channel_max) for res in self.block_resolutions}
        self.num_ws = 0
        for res in self.block_resolutions:
            in_channels = channels[res // 2] if res > 4 else 0
            block = SynthesisBlock(in_channels, channels[res], w_dim, res, img_channels, res == img_resolution, conv_clamp=conv_clamp)
            self.num_ws += block.num_conv
            if res == img_resolution:
                self.num_ws += block.num_torgb
            setattr(self, f'b{res}', block)
        self._record_init((), dict(w_dim=w_dim, img_resolution=img_resolution, img_channels=img_channels, channel_base=channel_base, channel_max=channel_max, conv_clamp=conv_clamp, num_fp16_res=num_fp16_res))

    def forward(self, ws, noise_mode='const'):
        x = img = None
        w_idx = 0
        for res in self.block_resolutions:
            block = getattr(self, f'b{res}')
            x, img = block(x, img, ws[:, w_idx:w_idx + block.num_conv + block.num_torgb], noise_mode)
            w_idx += block.num_conv
        return img


class Generator(torch.nn.Module, Persistent):
    def __init__(self, z_dim, c_dim, w_dim, img_resolution, img_channels, mapping_kwargs={}, synthesis_kwargs={}):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.img_resolution, self.img_channels = z_dim, c_dim, w_dim, img_resolution, img_channels
        self.synthesis = SynthesisNetwork(w_dim=w_dim, img_resolution=img_resolution, img_channels=img_channels, **synthesis_kwargs)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim=z_dim, c_dim=c_dim, w_dim=w_dim, num_ws=self.num_ws, **mapping_kwargs)
        self._record_init((), dict(z_dim=z_dim, c_dim=c_dim, w_dim=w_dim, img_resolution=img_resolution, img_channels=img_channels, mapping_kwargs=mapping_kwargs, synthesis_kwargs=synthesis_kwargs))

    def forward(self, z, c=None, truncation_psi=1.0, noise_mode='const'):
        """G(z, c) as upstream's generate.py calls it."""
        return self.synthesis(self.mapping(z, c, truncation_psi=truncation_psi), noise_mode=noise_mode)


class Discriminator(torch.nn.Module, Persistent):
    """A stand-in so the pickle holds more than G_ema, as training snapshots do; the reader ignores it."""

    def __init__(self, c):
        super().__init__()
        self.b4_weight = torch.nn.Parameter(torch.randn([c, 3, 1, 1]))
        self._record_init((c,), {})
