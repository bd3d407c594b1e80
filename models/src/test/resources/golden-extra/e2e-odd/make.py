#!/usr/bin/python3
"""Makes the golden case e2e-odd: Open-Sora 1.2's sampling and decoding, caption on, at a size whose latent is odd in
every dimension and whose width is no multiple of 8 (24 x 45 pixels -> latent 3 x 5 -> decoded 24 x 40; 24 frames ->
7 latent frames), as 240p 9:16 (240 x 426 -> 30 x 53 -> 240 x 424) does at full size.

The unmodified reference runs it: hpcaitech/Open-Sora v1.2.0's STDiT3 (opensora/models/stdit/stdit3.py,
layers/blocks.py), its RFLOW sampler (schedulers/rf) and VideoAutoencoderPipeline, with diffusers v0.27.2, timm
v0.9.16, rotary-embedding-torch 0.5.3 and einops v0.7.0, on CPU in float32 with seeded random weights. The caption
embedding y stands in for T5's output (random, 5 valid tokens of 8), as the Java test feeds y directly. Besides the
stand-ins of ../vae-pipeline-odd/make.py, this one needs two more (import-only or same-math, see README.md): beartype
(a runtime type checker; identity decorator) and xformers' memory_efficient_attention with a BlockDiagonalMask,
which v1.2's cross-attention calls and which has no CPU build here (plain softmax attention per block).

    /usr/bin/python3 make.py --opensora OS --diffusers DF/src --hub HH/src --einops EI --timm TM --rotary RT [--out DIR]
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vae_odd", os.path.join(HERE, "..", "vae-pipeline-odd", "make.py"))
vae_odd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vae_odd)

HEIGHT, WIDTH, NUM_FRAMES, FPS = 24, 45, 24, 24
TOKENS, VALID = 8, 5
STDIT3 = {
    "model_type": "STDiT3", "architectures": ["STDiT3"],
    "input_size": [None, None, None], "input_sq_size": 512, "in_channels": 4, "patch_size": [1, 2, 2],
    "hidden_size": 32, "depth": 2, "num_heads": 2, "mlp_ratio": 4.0, "class_dropout_prob": 0.1,
    "pred_sigma": True, "drop_path": 0.0, "caption_channels": 16, "model_max_length": TOKENS, "qk_norm": True,
    "enable_flash_attn": False, "enable_layernorm_kernel": False, "enable_sequence_parallelism": False,
    "only_train_temporal": False, "freeze_y_embedder": False, "skip_y_embedder": False,
}
SCHEDULER = {"type": "rflow", "use_timestep_transform": True, "num_sampling_steps": 3, "cfg_scale": 7.0,
             "use_discrete_timesteps": False, "num_timesteps": 1000}
SEEDS = {"z0": 8200, "stdit3": 8201, "y": 8202, "vae": 8100}

STAND_INS = {
    "beartype/__init__.py": "def beartype(f):\n    return f\n",
    "beartype/typing.py": "from typing import *\n",
    "xformers/__init__.py": "",
    "xformers/ops/__init__.py":
        "import torch\n"
        "from . import fmha\n"
        "def memory_efficient_attention(q, k, v, p=0.0, attn_bias=None):\n"
        "    # q [1, Mq, H, D], k/v [1, Mk, H, D]; block b of queries attends only to block b of keys\n"
        "    scale = q.shape[-1] ** -0.5\n"
        "    qs = attn_bias.q_seqlen if attn_bias is not None else [q.shape[1]]\n"
        "    ks = attn_bias.kv_seqlen if attn_bias is not None else [k.shape[1]]\n"
        "    out, qa, ka = [], 0, 0\n"
        "    for nq, nk in zip(qs, ks):\n"
        "        qb = q[:, qa:qa + nq].transpose(1, 2)\n"
        "        kb = k[:, ka:ka + nk].transpose(1, 2)\n"
        "        vb = v[:, ka:ka + nk].transpose(1, 2)\n"
        "        w = (qb * scale) @ kb.transpose(-2, -1)\n"
        "        out.append((w.softmax(dim=-1) @ vb).transpose(1, 2))\n"
        "        qa, ka = qa + nq, ka + nk\n"
        "    return torch.cat(out, dim=1)\n",
    "xformers/ops/fmha.py":
        "class BlockDiagonalMask:\n"
        "    def __init__(self, q_seqlen, kv_seqlen):\n"
        "        self.q_seqlen, self.kv_seqlen = list(q_seqlen), list(kv_seqlen)\n"
        "    @classmethod\n"
        "    def from_seqlens(cls, q_seqlen, kv_seqlen=None):\n"
        "        return cls(q_seqlen, q_seqlen if kv_seqlen is None else kv_seqlen)\n",
}


def write_stand_ins(root):
    vae_odd.stand_ins(root)
    for name, text in STAND_INS.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def randomize(model, seed, torch, keep=("scale", "shift", "rope.freqs")):
    """The shared cases' rule: ndim >= 2 -> N(0, 1/fan_in), 1-D *.weight -> 1 + 0.1 N, other 1-D -> 0.1 N."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name in keep or not t.is_floating_point():
                continue
            n = torch.randn(t.shape, generator=g, dtype=torch.float64)
            if t.dim() >= 2:
                v = n / float(torch.tensor(t.shape[1:]).prod()) ** 0.5
            elif name.endswith(".weight"):
                v = 1 + 0.1 * n
            else:
                v = 0.1 * n
            t.copy_(v.to(t.dtype))


def arguments(trees, importable, out):
    """Parses --TREE for every reference checkout and --out (default: out); puts a folder of the stand-ins, then the
    importable trees, first on sys.path. Returns the arguments and the stand-ins' folder."""
    ap = argparse.ArgumentParser()
    for k in trees:
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--out", default=out)
    a = ap.parse_args()
    stubs = tempfile.mkdtemp(prefix="stand-ins-")
    write_stand_ins(stubs)
    sys.path[:0] = [stubs] + [getattr(a, k) for k in importable]
    return a, stubs


def main():
    a, stubs = arguments(("opensora", "diffusers", "hub", "einops", "timm", "rotary"),
                         ("diffusers", "hub", "einops", "timm", "rotary"), HERE)
    import torch
    torch.set_num_threads(1)
    vae_mod, _, _ = vae_odd.reference(a.opensora)
    vae_odd.package("opensora.acceleration", os.path.join(a.opensora, "opensora", "acceleration"))
    vae_odd.package("opensora.models.layers", os.path.join(a.opensora, "opensora", "models", "layers"))
    vae_odd.package("opensora.models.stdit", os.path.join(a.opensora, "opensora", "models", "stdit"))
    vae_odd.package("opensora.schedulers", os.path.join(a.opensora, "opensora", "schedulers"))
    vae_odd.package("opensora.schedulers.iddpm", os.path.join(a.opensora, "opensora", "schedulers", "iddpm"))
    registry = sys.modules["opensora.registry"]
    registry.SCHEDULERS = vae_odd.Registry()
    stdit3 = importlib.import_module("opensora.models.stdit.stdit3")
    # the sampler lives in the package's __init__.py: load it as that package
    rf_path = os.path.join(a.opensora, "opensora", "schedulers", "rf", "__init__.py")
    rf_spec = importlib.util.spec_from_file_location("opensora.schedulers.rf", rf_path,
                                                     submodule_search_locations=[os.path.dirname(rf_path)])
    rf = importlib.util.module_from_spec(rf_spec)
    sys.modules["opensora.schedulers.rf"] = rf
    rf_spec.loader.exec_module(rf)

    vae_odd.SEED_WEIGHTS = SEEDS["vae"]
    vae = vae_odd.build(vae_mod, torch)
    cfg = stdit3.STDiT3Config(**{k: v for k, v in STDIT3.items() if k not in ("model_type", "architectures")})
    model = stdit3.STDiT3(cfg).eval()
    randomize(model, SEEDS["stdit3"], torch)

    latent = vae.get_latent_size([NUM_FRAMES, HEIGHT, WIDTH])
    g = torch.Generator().manual_seed(SEEDS["y"])
    y = torch.randn(1, 1, TOKENS, STDIT3["caption_channels"], generator=g)
    mask = torch.zeros(1, TOKENS, dtype=torch.long)
    mask[0, :VALID] = 1

    class Caption:
        """Stands in for T5Encoder: encode gives the caption embedding, null the model's own null embedding."""

        def encode(self, prompts):
            return {"y": y, "mask": mask}

        def null(self, n):
            return model.y_embedder.y_embedding[None].repeat(n, 1, 1)[:, None]

    calls = []

    class Recording(torch.nn.Module):
        def forward(self, z_in, t, **kwargs):
            out = model(z_in, t, **kwargs)
            calls.append((z_in[:1].clone(), t[:1].clone(), out.clone(), kwargs["x_mask"].clone()))
            return out

    args = {"height": torch.tensor([float(HEIGHT)]), "width": torch.tensor([float(WIDTH)]),
            "num_frames": torch.tensor([float(NUM_FRAMES)]), "ar": torch.tensor([HEIGHT / WIDTH]),
            "fps": torch.tensor([float(FPS)])}
    torch.manual_seed(SEEDS["z0"])
    z0 = torch.randn(1, 4, *latent)
    sampler = rf.RFLOW(**{k: v for k, v in SCHEDULER.items() if k != "type"})
    io = {"y": y, "y_null": Caption().null(1).detach(), "mask": mask, "z0": z0,
          "in.height": args["height"], "in.width": args["width"], "in.num_frames": args["num_frames"],
          "in.ar": args["ar"], "in.fps": args["fps"]}
    with torch.no_grad():
        # the default mask strategy's mask (all ones), as scripts/inference.py passes it; x_mask = (1000 >= t)
        z = sampler.sample(Recording(), Caption(), z0.clone(), ["p"], "cpu", additional_args=dict(args),
                           mask=torch.ones(1, latent[0]), progress=False)
        for i, (zi, t, out, x_mask) in enumerate(calls):
            io["v12.step%d.z" % i] = zi
            io["v12.step%d.t" % i] = t
            io["v12.step%d.model_out" % i] = out
            io["v12.step%d.x_mask" % i] = x_mask.float()
        io["v12.timesteps_used"] = torch.cat([c[1] for c in calls])
        io["v12.z_final"] = z
        video = vae.decode(z, num_frames=NUM_FRAMES)
        io["v12.video"] = video
        io["v12.frames_uint8"] = vae_odd.uint8_frames(torch, video).to(torch.uint8)

    config = {"num_frames": NUM_FRAMES, "image_size": [HEIGHT, WIDTH], "latent_size": latent, "fps": FPS,
              "save_fps": FPS, "model_max_length": TOKENS, "dtype": "fp32", "scheduler": SCHEDULER,
              "stdit3": STDIT3, "vae": vae_odd.CONFIG, "vae_weights": "../vae-pipeline-odd/model.safetensors",
              "seeds": SEEDS, "decoded_size": [list(video.shape)[3], list(video.shape)[4]]}
    meta = {"case": "e2e-odd", "tree": "hpcaitech/Open-Sora v1.2.0", "config": config,
            "timesteps": [float(c[1]) for c in calls],
            "x_mask_all_true": [bool(c[3].all()) for c in calls],
            "video_range": [video.min().item(), video.max().item()]}
    # the VAE is vae-pipeline-odd's very model (same config, same seed): config.json points at that file rather than
    # keeping a second copy, and this checks that the bytes are the same
    shared = os.path.join(HERE, "..", "vae-pipeline-odd", "model.safetensors")
    mine = os.path.join(stubs, "vae.safetensors")
    vae_odd.write_safetensors(mine, dict(vae.state_dict()), {"config": vae_odd.CONFIG})
    with open(mine, "rb") as f1, open(shared, "rb") as f2:
        assert f1.read() == f2.read(), "the VAE differs from ../vae-pipeline-odd/model.safetensors"
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    vae_odd.write_safetensors(os.path.join(a.out, "stdit3.safetensors"), dict(model.state_dict()),
                              {"config": STDIT3})
    vae_odd.write_safetensors(os.path.join(a.out, "io.safetensors"), io, meta)
    for k, v in sorted(io.items()):
        print("%-28s %s" % (k, list(v.shape)))
    print(json.dumps({k: v for k, v in meta.items() if k != "config"}, indent=1))


if __name__ == "__main__":
    main()
