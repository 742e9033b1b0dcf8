"""rosinality/stylegan2-pytorch's `Generator.state_dict()` layout, mapped onto our NVIDIA-style Generator
(networks.py). The two implementations compute the same function and differ only in where the weights sit and
where the weight gain is applied before demodulation; this mapping is what lets networks.py compute the
references for a rosinality-format checkpoint.
"""
import torch

import dnnlib
import networks


def hyper(sd):
    """Hyper-parameters read from tensor shapes, as our TypeScript reader does."""
    n_mlp = sum(1 for k in sd if k.startswith('style.') and k.endswith('.weight'))
    style_dim = sd['style.1.weight'].shape[0]
    chans = {4: sd['conv1.conv.weight'].shape[1]}
    res, j = 8, 0
    while f'convs.{j}.conv.weight' in sd:
        chans[res] = sd[f'convs.{j}.conv.weight'].shape[1]
        res, j = res * 2, j + 2
    return n_mlp, style_dim, chans, res // 2


def to_networks(sd):
    """An NVIDIA-style Generator holding the weights of a rosinality `g_ema` state dict."""
    n_mlp, style_dim, chans, img_res = hyper(sd)
    G = networks.Generator(z_dim=style_dim, c_dim=0, w_dim=style_dim, img_resolution=img_res, img_channels=3,
                           mapping_kwargs=dnnlib.EasyDict(num_layers=n_mlp),
                           synthesis_kwargs=dnnlib.EasyDict(channel_base=1, channel_max=1))
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
    return G.eval().requires_grad_(False)
