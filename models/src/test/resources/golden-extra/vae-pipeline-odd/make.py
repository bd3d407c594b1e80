#!/usr/bin/python3
"""Makes the golden case vae-pipeline-odd: Open-Sora 1.2's VideoAutoencoderPipeline at an odd latent size (3 x 5,
i.e. 24 x 40 pixels, as 240p 9:16 gives 30 x 53) and at frame counts that are not multiples of micro_frame_size.

It runs the unmodified reference classes (hpcaitech/Open-Sora v1.2.0 opensora/models/vae/{vae,vae_temporal,utils}.py
and diffusers v0.27.2's AutoencoderKL) on CPU in float32 with seeded random weights, and writes config.json,
model.safetensors and io.safetensors beside this script (or into --out). Nothing of those trees is copied here: give
their checkouts on the command line (see README.md). Packages the reference imports but never uses for this (the
safetensors package, transformers' PretrainedConfig/PreTrainedModel base classes, Open-Sora's registry and checkpoint
loader) are replaced by small stand-ins made in a temporary folder.

    /usr/bin/python3 make.py --opensora OS --diffusers DF/src --hub HH/src --einops EI [--out DIR]
"""
import argparse
import importlib
import json
import os
import struct
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))

# the tiny VAE (the demo's and e2e-tiny's sizes), Open-Sora 1.2's scale/shift and chunking
CONFIG = {
    "architectures": ["VideoAutoencoderPipeline"],
    "model_type": "VideoAutoencoderPipeline",
    "cal_loss": False,
    "freeze_vae_2d": False,
    "micro_frame_size": 17,
    "scale": [3.85, 2.32, 2.33, 3.06],
    "shift": [-0.1, 0.34, 0.27, 0.98],
    "spatial_scaling_hardcoded": 0.18215,
    "vae_2d": {
        "type": "VideoAutoencoderKL",
        "micro_batch_size": 4,
        "diffusers_AutoencoderKL_config": {
            "in_channels": 3, "out_channels": 3,
            "down_block_types": ["DownEncoderBlock2D"] * 4,
            "up_block_types": ["UpDecoderBlock2D"] * 4,
            "block_out_channels": [8, 8, 16, 24],
            "layers_per_block": 1,
            "act_fn": "silu",
            "latent_channels": 4,
            "norm_num_groups": 4,
            "sample_size": 256,
            "scaling_factor": 0.13025,
            "force_upcast": True,
        },
    },
    "vae_temporal": {
        "type": "VAE_Temporal",
        "in_out_channels": 4, "latent_embed_dim": 4, "embed_dim": 4, "filters": 4, "num_res_blocks": 1,
        "channel_multipliers": [1, 2, 2, 4], "temporal_downsample": [False, True, True], "num_groups": 2,
        "activation_fn": "swish",
    },
}
LATENT_HW = (3, 5)            # odd height and width
DECODE_FRAMES = [1, 13, 21]   # an image; one partial chunk (4 latent frames, 3 dropped); 17 + a 1-latent-frame chunk
ENCODE_FRAMES = 21            # chunks of 17 and 4 frames
SEED_WEIGHTS, SEED_INPUTS, SEED_NOISE = 8100, 8101, 8102


def stand_ins(root):
    """Import-only stand-ins for what the reference imports but does not use here."""
    files = {
        "safetensors/__init__.py": "def safe_open(*a, **k):\n    raise RuntimeError('stand-in')\n",
        "safetensors/torch.py": "def _no(*a, **k):\n    raise RuntimeError('stand-in')\n"
                                "load_file = save_file = load = save = _no\n",
        "transformers/__init__.py":
            "import torch.nn as nn\n"
            "class PretrainedConfig:\n"
            "    def __init__(self, **kwargs):\n"
            "        self.__dict__.update(kwargs)\n"
            "class PreTrainedModel(nn.Module):\n"
            "    def __init__(self, config=None, *a, **k):\n"
            "        super().__init__()\n"
            "        self.config = config\n",
    }
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def package(name, path=None):
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    sys.modules[name] = m
    return m


class Registry:
    """Open-Sora's registry as far as the VAE uses it: register_module and build_module by "type"."""

    def __init__(self):
        self.table = {}

    def register_module(self, name=None):
        def add(obj):
            self.table[name or obj.__name__] = obj
            return obj
        return add


def build_module(cfg, registry):
    if not isinstance(cfg, dict):
        return cfg
    cfg = dict(cfg)
    return registry.table[cfg.pop("type")](**cfg)


def reference(opensora):
    """The reference modules, imported from the Open-Sora tree without its package __init__ (which loads every model)."""
    package("opensora")
    package("opensora.models")
    package("opensora.models.vae", os.path.join(opensora, "opensora", "models", "vae"))
    registry = package("opensora.registry")
    registry.MODELS = Registry()
    registry.build_module = build_module
    package("opensora.utils")
    ckpt = package("opensora.utils.ckpt_utils")
    ckpt.load_checkpoint = lambda *a, **k: None
    vae_temporal = importlib.import_module("opensora.models.vae.vae_temporal")
    vae = importlib.import_module("opensora.models.vae.vae")
    return vae, vae_temporal, registry.MODELS


def build(vae, torch):
    from diffusers.models import AutoencoderKL

    class TinyVideoAutoencoderKL(vae.VideoAutoencoderKL):
        """VideoAutoencoderKL with its AutoencoderKL built from a config instead of a hub download; the rest as is."""

        def __init__(self, micro_batch_size=None, diffusers_AutoencoderKL_config=None):
            torch.nn.Module.__init__(self)
            self.module = AutoencoderKL(**diffusers_AutoencoderKL_config)
            self.out_channels = self.module.config.latent_channels
            self.patch_size = (1, 8, 8)
            self.micro_batch_size = micro_batch_size

    c = json.loads(json.dumps(CONFIG))
    c["vae_2d"].pop("type")
    spatial = TinyVideoAutoencoderKL(**c["vae_2d"])
    config = vae.VideoAutoencoderPipelineConfig(vae_2d=spatial, vae_temporal=c["vae_temporal"],
                                                micro_frame_size=c["micro_frame_size"], shift=c["shift"],
                                                scale=c["scale"], freeze_vae_2d=False, cal_loss=False)
    model = vae.VideoAutoencoderPipeline(config).eval()
    g = torch.Generator().manual_seed(SEED_WEIGHTS)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name in ("scale", "shift") or not t.is_floating_point():
                continue
            n = torch.randn(t.shape, generator=g, dtype=torch.float64)
            if t.dim() >= 2:
                fan_in = 1
                for s in t.shape[1:]:
                    fan_in *= s
                v = n / fan_in ** 0.5
            elif name.endswith(".weight"):
                v = 1 + 0.1 * n
            else:
                v = 0.1 * n
            t.copy_(v.to(t.dtype))
    return model


def uint8_frames(torch, video):
    """save_sample's conversion (normalize, value_range (-1, 1)): clamp, (x+1)/2, *255+0.5, clamp, uint8; T,H,W,C."""
    x = video[0].clone().clamp_(-1, 1)
    x = (x + 1) / 2
    return (x * 255 + 0.5).clamp_(0, 255).to(torch.uint8).permute(1, 2, 3, 0).float()


def write_safetensors(path, tensors, metadata):
    """Float tensors as F32, int64 as I64, uint8 as U8 (little-endian, as safetensors stores them)."""
    header, blobs, at = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        kind = {"torch.int64": "I64", "torch.uint8": "U8"}.get(str(t.dtype), "F32")
        data = (t if kind != "F32" else t.float()).numpy().tobytes()
        header[name] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    header["__metadata__"] = {k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    ap = argparse.ArgumentParser()
    for k in ("opensora", "diffusers", "hub", "einops"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args()
    stubs = tempfile.mkdtemp(prefix="stand-ins-")
    stand_ins(stubs)
    sys.path[:0] = [stubs, a.diffusers, a.hub, a.einops]
    import torch
    torch.set_num_threads(1)
    vae, _, _ = reference(a.opensora)
    model = build(vae, torch)

    io, meta = {}, {"case": "vae-pipeline-odd", "tree": "hpcaitech/Open-Sora v1.2.0 + diffusers v0.27.2",
                    "seeds": {"weights": SEED_WEIGHTS, "inputs": SEED_INPUTS, "noise": SEED_NOISE}}
    g = torch.Generator().manual_seed(SEED_INPUTS)
    h, w = LATENT_HW
    model64 = build(vae, torch).double()
    with torch.no_grad():
        for k, nf in enumerate(DECODE_FRAMES):
            tz = model.get_latent_size([nf, 8 * h, 8 * w])[0]
            z = torch.randn(1, 4, tz, h, w, generator=g)
            p = "decode%d." % k
            io[p + "in.z"] = z
            io[p + "in.num_frames"] = torch.tensor([float(nf)])
            io[p + "mid.z_unnormalized"] = z * model.scale + model.shift
            # the temporal half, as decode() runs it (its chunk loop), recorded before the spatial half
            zu = z * model.scale + model.shift
            parts, left = [], nf
            for i in range(0, tz, model.micro_z_frame_size):
                parts.append(model.temporal_vae.decode(zu[:, :, i:i + model.micro_z_frame_size],
                                                       num_frames=min(model.micro_frame_size, left)))
                left -= model.micro_frame_size
            io[p + "mid.x_z"] = torch.cat(parts, dim=2)
            video = model.decode(z, num_frames=nf)
            io[p + "out.video"] = video
            io[p + "out.uint8_frames"] = uint8_frames(torch, video)
            v64 = model64.decode(z.double(), num_frames=nf)
            d = (v64 - video.double()).abs().max().item()
            meta[p + "num_frames"] = nf
            meta[p + "latent_T"] = tz
            meta[p + "fp32_vs_fp64"] = {"max_abs": d, "max_ref": v64.abs().max().item(),
                                         "rel_to_max": d / max(1.0, v64.abs().max().item())}
            meta[p + "uint8_mismatch_fp32_vs_fp64"] = int(
                (uint8_frames(torch, v64.float()) != io[p + "out.uint8_frames"]).sum().item())

        x = (torch.rand(1, 3, ENCODE_FRAMES, 8 * h, 8 * w, generator=g) * 2 - 1)
        io["encode.in.x"] = x
        # every torch.randn call the posteriors make, recorded as drawn (the values are the reference's own)
        drawn, randn = [], torch.randn

        def recording(*args, **kwargs):
            t = randn(*args, **kwargs)
            drawn.append(t.clone())
            return t

        torch.manual_seed(SEED_NOISE)
        torch.randn = recording
        try:
            x_z = model.spatial_vae.encode(x)
            spatial_draws = len(drawn)
            z = model.encode(x)  # runs the spatial encode again: its draws continue the same stream
        finally:
            torch.randn = randn
        # model.encode's own draws: the spatial micro-batches first, then one per temporal chunk
        mb = CONFIG["vae_2d"]["micro_batch_size"]
        n_spatial = -(-ENCODE_FRAMES // mb)
        again = drawn[spatial_draws:]
        spatial_noise = torch.cat(again[:n_spatial], dim=0)
        temporal_noise = torch.cat(again[n_spatial:], dim=2)
        # replay model.encode's spatial noise to record its x_z and the temporal means
        it = iter(again[:n_spatial])
        torch.randn = lambda *args, **kwargs: next(it).clone()
        try:
            x_z = model.spatial_vae.encode(x)
        finally:
            torch.randn = randn
        posteriors = [model.temporal_vae.encode(x_z[:, :, i:i + model.micro_frame_size])
                      for i in range(0, ENCODE_FRAMES, model.micro_frame_size)]
        means = [q.mean for q in posteriors]
        replayed = torch.cat([q.mean + q.std * n for q, n in zip(posteriors, again[n_spatial:])], dim=2)
        meta["encode_noise_reproduction_maxabs"] = ((replayed - model.shift) / model.scale - z).abs().max().item()
        io["encode.mid.spatial_noise"] = spatial_noise
        io["encode.mid.temporal_noise"] = temporal_noise
        io["encode.mid.x_z"] = x_z
        io["encode.out.z"] = z
        io["encode.out.z_from_means"] = (torch.cat(means, dim=2) - model.shift) / model.scale
        meta["encode.num_frames"] = ENCODE_FRAMES
        meta["encode.temporal_chunks"] = [m.shape[2] for m in means]

    out = a.out
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    meta["config"] = CONFIG
    state = {k: v for k, v in model.state_dict().items()}
    write_safetensors(os.path.join(out, "model.safetensors"), state, {"config": CONFIG})
    write_safetensors(os.path.join(out, "io.safetensors"), io, meta)
    for k, v in sorted(io.items()):
        print("%-32s %s" % (k, list(v.shape)))
    print(json.dumps({k: v for k, v in meta.items() if k != "config"}, indent=1))
    print("model values:", sum(v.numel() for v in state.values()))


if __name__ == "__main__":
    main()
