#!/usr/bin/python3
"""Writes latentvj's checkpoint test fixtures into test/fixtures/nvidia/ (run with Debian's python3-torch):

  /usr/bin/python3 tools/nvidia-fixture/make_fixtures.py

- nvidia-32.pkl: a tiny StyleGAN2 generator pickled in NVIDIA's format (see networks.py), with
  nvidia-32-*.npy references computed by our own implementation of NVIDIA's forward pass;
- nvidia-32-tensors.npz / nvidia-32-hyper.json: every tensor and the hyper-parameters, for the reader test;
- refusal pickles: StyleGAN3-like, TensorFlow-like, 'resnet' architecture, conditional;
- tensor-zoo.*.pt: torch.save files (zip and legacy) exercising dtypes, strides, offsets and containers,
  with tensor-zoo.json holding the expected values.
Deterministic seeds: re-running rewrites identical tensors and references (the storage keys inside legacy
streams are memory addresses, so the .pkl/.pt bytes differ).
"""
import collections
import io
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
from torch_utils import persistence  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'test', 'fixtures', 'nvidia'))


def save_npy(name, array):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array, dtype=np.float32))


def randomise(G, gen):
    """Training-like values instead of the init constants, so every tensor matters in the references."""
    with torch.no_grad():
        for name, p in list(G.named_parameters()) + list(G.named_buffers()):
            if name.endswith('noise_strength'):
                p.copy_(torch.randn([], generator=gen) * 0.5)
            elif name.endswith('affine.bias'):
                p.add_(torch.randn(p.shape, generator=gen) * 0.2)
            elif name.endswith('.bias'):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.2)
            elif name.endswith('w_avg'):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.5)


def make_generator(seed, z_dim, w_dim, res, channel_base, channel_max, conv_clamp, num_layers):
    torch.manual_seed(seed)
    G = networks.Generator(
        z_dim=z_dim, c_dim=0, w_dim=w_dim, img_resolution=res, img_channels=3,
        mapping_kwargs=dnnlib.EasyDict(num_layers=num_layers),
        synthesis_kwargs=dnnlib.EasyDict(channel_base=channel_base, channel_max=channel_max, num_fp16_res=0, conv_clamp=conv_clamp),
    )
    randomise(G, torch.Generator().manual_seed(seed + 1))
    return G.eval().requires_grad_(False)


def main_fixture():
    G = make_generator(seed=1, z_dim=32, w_dim=24, res=32, channel_base=256, channel_max=32, conv_clamp=1.5, num_layers=3)
    D = networks.Discriminator(4)
    data = dict(G=G, D=D, G_ema=G, augment_pipe=None,
                training_set_kwargs=dnnlib.EasyDict(path='none', resolution=32, max_size=np.int64(1000)))
    with open(os.path.join(OUT, 'nvidia-32.pkl'), 'wb') as f:
        pickle.dump(data, f, protocol=3)
    # Our own loader must read it back (class by name, module_src never executed).
    with open(os.path.join(OUT, 'nvidia-32.pkl'), 'rb') as f:
        back = pickle.load(f)['G_ema']
    for (k, a), (_, b) in zip(G.state_dict().items(), back.state_dict().items()):
        assert torch.equal(a, b), k

    gen = torch.Generator().manual_seed(7)
    z = torch.randn([1, G.z_dim], generator=gen)
    z2 = torch.randn([1, G.z_dim], generator=gen)
    with torch.no_grad():
        w = G.mapping(z)
        ws = G.mapping(z, truncation_psi=0.7)
        ws2 = G.mapping(z2, truncation_psi=0.7)
        mixed = ws.clone()
        half = G.num_ws // 2
        mixed[:, half:] = ws2[:, half:]
        img_const = G.synthesis(ws, noise_mode='const')
        img_none = G.synthesis(ws, noise_mode='none')
        img_mixed = G.synthesis(mixed, noise_mode='const')
    save_npy('nvidia-32-z.npy', z.numpy())
    save_npy('nvidia-32-w-from-z.npy', w[:, 0].numpy())
    save_npy('nvidia-32-ws-trunc07.npy', ws[0].numpy())
    save_npy('nvidia-32-img-trunc07-noise-const.npy', img_const[0].numpy())
    save_npy('nvidia-32-img-trunc07-noise-none.npy', img_none[0].numpy())
    save_npy('nvidia-32-ws-mixed.npy', mixed[0].numpy())
    save_npy('nvidia-32-img-mixed-noise-const.npy', img_mixed[0].numpy())
    clamped = float((img_const.abs() >= 1.5 - 1e-6).float().mean())
    print(f'nvidia-32: num_ws={G.num_ws}, image range [{img_const.min():.3f}, {img_const.max():.3f}], '
          f'clamped output fraction {clamped:.3f}, const-vs-none max diff {(img_const - img_none).abs().max():.3f}')

    np.savez_compressed(os.path.join(OUT, 'nvidia-32-tensors.npz'),
                        **{k: v.numpy().astype(np.float32) for k, v in G.state_dict().items()})
    hyper = dict(
        zDim=G.z_dim, wDim=G.w_dim, numWs=G.num_ws, resolution=G.img_resolution, imgChannels=G.img_channels,
        mappingLayers=G.mapping.num_layers, lrMultiplier=0.01, convClamp=1.5,
        channels={str(r): getattr(G.synthesis, f'b{r}').conv1.weight.shape[0] for r in G.synthesis.block_resolutions},
        toRgbWeightGain={str(r): float(getattr(G.synthesis, f'b{r}').torgb.weight_gain) for r in G.synthesis.block_resolutions},
        mappingWeightGain=[float(getattr(G.mapping, f'fc{i}').weight_gain) for i in range(G.mapping.num_layers)],
    )
    with open(os.path.join(OUT, 'nvidia-32-hyper.json'), 'w') as f:
        json.dump(hyper, f, indent=1)


def small_protocol4_fixture():
    """Python >= 3.8 writes protocol 4 by default (FRAME, MEMOIZE, STACK_GLOBAL): an 8x8 generator without clamp."""
    G = make_generator(seed=9, z_dim=8, w_dim=8, res=8, channel_base=32, channel_max=4, conv_clamp=None, num_layers=2)
    with open(os.path.join(OUT, 'nvidia-8-p4.pkl'), 'wb') as f:
        pickle.dump(dict(G=G, D=None, G_ema=G, augment_pipe=None), f, protocol=4)
    np.savez_compressed(os.path.join(OUT, 'nvidia-8-p4-tensors.npz'),
                        **{k: v.numpy().astype(np.float32) for k, v in G.state_dict().items()})


class FakePersistent:
    """A persistent-module record with a chosen class name and source, for the refusal fixtures."""

    def __init__(self, class_name, module_src, state):
        self.meta = dict(type='class', version=6, module_src=module_src, class_name=class_name, state=state)

    def __reduce__(self):
        return (persistence._reconstruct_persistent_obj, (self.meta,), None)


def module_state(params=None, modules=None, **attrs):
    return dict(training=False, _parameters=collections.OrderedDict(params or {}), _buffers=collections.OrderedDict(),
                _modules=collections.OrderedDict(modules or {}), _init_args=(), _init_kwargs=dnnlib.EasyDict(attrs), **attrs)


def refusal_fixtures():
    sg3_src = '"""StyleGAN3 stand-in."""\nclass SynthesisInput:\n    pass\nclass SynthesisNetwork:\n    pass\n'
    torch.manual_seed(3)
    inp = FakePersistent('SynthesisInput', sg3_src, module_state({'freqs': torch.randn(4, 2), 'phases': torch.randn(4)}, w_dim=8, channels=4))
    layer = FakePersistent('SynthesisLayer', sg3_src, module_state({'weight': torch.randn(4, 4, 3, 3)}))
    syn = FakePersistent('SynthesisNetwork', sg3_src, module_state(modules={'input': inp, 'L0_36_4': layer}, w_dim=8, num_ws=4))
    mapping = FakePersistent('MappingNetwork', sg3_src, module_state(
        {'w_avg': torch.zeros(8)}, modules={'fc0': FakePersistent('FullyConnectedLayer', sg3_src, module_state({'weight': torch.randn(8, 8), 'bias': torch.zeros(8)}))}))
    G = FakePersistent('Generator', sg3_src, module_state(modules={'synthesis': syn, 'mapping': mapping}, z_dim=8, c_dim=0, w_dim=8, img_resolution=16))
    with open(os.path.join(OUT, 'refuse-stylegan3.pkl'), 'wb') as f:
        pickle.dump(dict(G_ema=G), f, protocol=4)

    # TensorFlow-era: (G, D, Gs) of dnnlib.tflib.network.Network objects, state dicts with numpy variables.
    from dnnlib.tflib.network import Network
    nets = tuple(Network(name, {f'{name}/dense/weight': np.ones((2, 2), np.float32)}) for name in ('G', 'D', 'Gs'))
    with open(os.path.join(OUT, 'refuse-tensorflow.pkl'), 'wb') as f:
        pickle.dump(nets, f, protocol=3)

    # A 'resnet' synthesis and a conditional generator, from small real generators.
    G = make_generator(seed=5, z_dim=8, w_dim=8, res=8, channel_base=32, channel_max=4, conv_clamp=None, num_layers=1)
    for res in (4, 8):
        getattr(G.synthesis, f'b{res}').architecture = 'resnet'
    G.synthesis.b8.skip = networks.FullyConnectedLayer(4, 4)  # a 'skip' module with a weight, as resnet blocks have
    with open(os.path.join(OUT, 'refuse-resnet.pkl'), 'wb') as f:
        pickle.dump(dict(G_ema=G), f, protocol=4)
    G = make_generator(seed=6, z_dim=8, w_dim=8, res=8, channel_base=32, channel_max=4, conv_clamp=None, num_layers=1)
    G.c_dim = 10
    G.mapping.embed = networks.FullyConnectedLayer(10, 8)
    with open(os.path.join(OUT, 'refuse-conditional.pkl'), 'wb') as f:
        pickle.dump(dict(G_ema=G), f, protocol=4)


def tensor_zoo():
    torch.manual_seed(11)
    base = torch.randn(4, 5)
    zoo = collections.OrderedDict()
    zoo['f32'] = torch.randn(2, 3)
    zoo['f16'] = torch.randn(5).half()
    zoo['bf16'] = torch.randn(4).bfloat16()
    zoo['f64'] = torch.randn(3, dtype=torch.float64)
    zoo['i64'] = torch.arange(6).reshape(2, 3)
    zoo['i32'] = torch.tensor([-3, 4], dtype=torch.int32)
    zoo['u8'] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    zoo['bool'] = torch.tensor([True, False, True])
    zoo['base'] = base
    zoo['transposed'] = base.t()
    zoo['sliced'] = base[1:3, 2:]
    zoo['expanded'] = torch.randn(3, 1).expand(3, 4)
    zoo['scalar'] = torch.tensor(3.5)
    zoo['param'] = torch.nn.Parameter(torch.randn(3))
    zoo['half_view'] = torch.randn(6).half()[2:5]
    extras = dict(
        od=collections.OrderedDict([('a', 1), ('b', 2.5)]),
        np_f64=np.float64(0.1), np_i64=np.int64(-7), np_f32=np.float32(1.5), np_bool=np.bool_(True),
        easy=dnnlib.EasyDict(x=1, y=[1, 2]),
        big=2 ** 70, neg=-5, small_neg=-200, int4=100000, float=0.25, text='héllo', none=None, yes=True,
        tup=(1, 'a', 2.5), nested=[[1, 2], {'k': (3,)}], set={1, 2}, raw=b'\x00\x01\xff',
    )
    obj = dict(tensors=zoo, extras=extras)
    expected = dict(
        tensors={k: dict(shape=list(v.shape), dtype=str(v.dtype).replace('torch.', ''),
                         values=v.detach().float().flatten().tolist()) for k, v in zoo.items()},
        extras=dict(od={'a': 1, 'b': 2.5}, np_f64=0.1, np_i64=-7, np_f32=1.5, np_bool=True, easy={'x': 1, 'y': [1, 2]},
                    big=str(2 ** 70), neg=-5, small_neg=-200, int4=100000, float=0.25, text='héllo', none=None, yes=True,
                    tup=[1, 'a', 2.5], set=[1, 2], raw=[0, 1, 255]),
    )
    # Zip format, saved through a buffer so the archive prefix ('archive') differs from the file name.
    buf = io.BytesIO()
    torch.save(obj, buf)
    with open(os.path.join(OUT, 'tensor-zoo.zip.pt'), 'wb') as f:
        f.write(buf.getvalue())
    torch.save(obj, os.path.join(OUT, 'tensor-zoo.legacy.pt'), _use_new_zipfile_serialization=False)
    torch.save(obj, os.path.join(OUT, 'tensor-zoo.legacy-p4.pt'), _use_new_zipfile_serialization=False, pickle_protocol=4)
    for name in ('tensor-zoo.zip.pt', 'tensor-zoo.legacy.pt', 'tensor-zoo.legacy-p4.pt'):
        back = torch.load(os.path.join(OUT, name))
        for k, v in zoo.items():
            assert torch.equal(back['tensors'][k], v), (name, k)
    with open(os.path.join(OUT, 'tensor-zoo.json'), 'w') as f:
        json.dump(expected, f, indent=1)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    main_fixture()
    small_protocol4_fixture()
    refusal_fixtures()
    tensor_zoo()
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f'wrote {len(os.listdir(OUT))} files, {total} bytes, into {OUT}')
