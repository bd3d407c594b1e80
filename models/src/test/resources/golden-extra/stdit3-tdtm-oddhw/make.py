#!/usr/bin/python3
"""Makes the golden case stdit3-tdtm-oddhw: On-device Sora's modified STDiT3 (eai-lab/On-device-Sora,
Modded_Open_Sora/opensora/models/stdit/stdit3.py, merge.py, layers/blocks.py) with TDTM merging on (step 0) and off
(step 2) at an odd latent height and width (5 x 7, so padded to 3 x 4 patches and cropped) and an odd frame count
(T = 7, merged to 3: the last frame is left out of the merge and gets the last pair's result back).

The shared case stdit3-tdtm covers T = 7 at an even 6 x 10 latent, stdit3-tiny-oddhw odd sides without merging.
Run like ../e2e-odd/make.py, with --modded pointing at On-device-Sora's Modded_Open_Sora folder instead of
--opensora; README.md says what was adapted (its rotary call, as in the shared stdit3-tdtm case).

    /usr/bin/python3 make.py --modded MODDED_OPEN_SORA --einops EI --timm TM --rotary RT --diffusers DF/src \
        --hub HH/src [--out DIR]
"""
import importlib
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sibling(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, "..", name, "make.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


vae_odd = sibling("vae-pipeline-odd")
e2e_odd = sibling("e2e-odd")

T, H, W = 7, 5, 7
TOKENS, VALID, MERGE_STEPS, TIMESTEP, CFG = 8, 5, 2, 700.0, 7.0
CONFIG = dict(e2e_odd.STDIT3, merge_steps=MERGE_STEPS)
SEEDS = {"weights": 8301, "inputs": 8302}


def main():
    a, _ = e2e_odd.arguments(("modded", "einops", "timm", "rotary", "diffusers", "hub"),
                             ("einops", "timm", "rotary", "diffusers", "hub"), HERE)
    import torch
    torch.set_num_threads(1)
    root = os.path.join(a.modded, "opensora")
    vae_odd.package("opensora")
    vae_odd.package("opensora.models")
    vae_odd.package("opensora.models.stdit", os.path.join(root, "models", "stdit"))
    vae_odd.package("opensora.models.layers", os.path.join(root, "models", "layers"))
    vae_odd.package("opensora.acceleration", os.path.join(root, "acceleration"))
    registry = vae_odd.package("opensora.registry")
    registry.MODELS = vae_odd.Registry()
    vae_odd.package("opensora.utils")
    vae_odd.package("opensora.utils.ckpt_utils").load_checkpoint = lambda *args, **kwargs: None
    stdit3 = importlib.import_module("opensora.models.stdit.stdit3")

    cfg = stdit3.STDiT3Config(**{k: v for k, v in CONFIG.items() if k not in ("model_type", "architectures")})
    model = stdit3.STDiT3(cfg).eval()
    e2e_odd.randomize(model, SEEDS["weights"], torch)
    # On-device Sora's blocks call rotary_emb(q, k) but are handed RotaryEmbedding.rotate_queries_or_keys, which
    # takes one tensor (TypeError as committed); as in the shared stdit3-tdtm case: rotary_emb(q, k) := (rope(q),
    # rope(k)), v1.2's interleaved RoPE
    rope = model.rope.rotate_queries_or_keys
    for block in model.temporal_blocks:
        block.attn.rotary_emb = lambda q, k: (rope(q), rope(k))

    g = torch.Generator().manual_seed(SEEDS["inputs"])
    z = torch.randn(1, 4, T, H, W, generator=g)
    y_cond = torch.randn(1, 1, TOKENS, CONFIG["caption_channels"], generator=g)
    mask = torch.zeros(1, TOKENS, dtype=torch.long)
    mask[0, :VALID] = 1
    y_null = model.y_embedder.y_embedding[None].repeat(1, 1, 1)[:, None].detach()
    io = {"in.x": torch.cat([z, z]), "in.timestep": torch.tensor([TIMESTEP, TIMESTEP]),
          "in.y": torch.cat([y_cond, y_null]), "in.y_cond": y_cond, "in.mask": mask.float(),
          "in.x_mask": torch.ones(2, T), "in.fps": torch.tensor([24.0]), "in.height": torch.tensor([8.0 * H]),
          "in.width": torch.tensor([8.0 * W]), "in.num_frames": torch.tensor([24.0]), "in.ar": torch.tensor([H / W])}
    meta = {"case": "stdit3-tdtm-oddhw", "tree": "eai-lab/On-device-Sora Modded_Open_Sora", "seeds": SEEDS,
            "merge_steps": MERGE_STEPS}
    with torch.no_grad():
        for prefix, step in (("merge_on.", 0), ("merge_off.", MERGE_STEPS)):
            out = model(io["in.x"], io["in.timestep"], y=io["in.y"], mask=mask, x_mask=io["in.x_mask"].bool(),
                        fps=io["in.fps"], height=io["in.height"], width=io["in.width"],
                        num_frames=io["in.num_frames"], ar=io["in.ar"], step=step)
            c, u = out.chunk(2, dim=1)[0].chunk(2, dim=0)
            io[prefix + "in.step"] = torch.tensor([float(step)])
            io[prefix + "out"] = out
            io[prefix + "out.v_pred_cfg"] = u + CFG * (c - u)
            model64 = model.double()
            out64 = model64(io["in.x"].double(), io["in.timestep"].double(), y=io["in.y"].double(), mask=mask,
                            x_mask=io["in.x_mask"].bool(), fps=io["in.fps"].double(),
                            height=io["in.height"].double(), width=io["in.width"].double(),
                            num_frames=io["in.num_frames"], ar=io["in.ar"], step=step)
            model.float()
            d = (out64 - out.double()).abs().max().item()
            meta[prefix + "fp32_vs_fp64"] = {"max_abs": d, "max_ref": out64.abs().max().item()}
        meta["merge_on_vs_off_maxabs"] = (io["merge_on.out"] - io["merge_off.out"]).abs().max().item()

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    vae_odd.write_safetensors(os.path.join(a.out, "model.safetensors"), dict(model.state_dict()), {"config": CONFIG})
    vae_odd.write_safetensors(os.path.join(a.out, "io.safetensors"), io, meta)
    for k, v in sorted(io.items()):
        print("%-28s %s" % (k, list(v.shape)))
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
