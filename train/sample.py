#!/usr/bin/env python3
"""Samples a video from train.py's checkpoint with the reference code (issue 17): Open-Sora v1.2.0's RFLOW sampler
(opensora/schedulers/rf/__init__.py, its package __init__ loaded from the checkout), the trained STDiT3 (EMA),
the frozen T5 and VideoAutoencoderPipeline.decode, as scripts/inference.py runs them for one prompt at 64x64 and 17
frames (fps 24, aesthetic score 6.5, cfg 7, timestep transform). The initial noise is torch.manual_seed(seed);
torch.randn(1, 4, 5, 8, 8), as jsora's TorchNoise draws it, so the result can be set beside `jsora generate --seed`'s.
Writes a PNG strip of every other frame.

    python3 train/sample.py --work train/work --prompt "a red circle moving right" --out /tmp/ref.png $REF
"""
import argparse
import importlib.util
import os
import pathlib
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from train import TOKENIZER, token_ids  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=pathlib.Path, required=True)
    ap.add_argument("--prompt", default="a red circle moving right")
    ap.add_argument("--out", type=pathlib.Path, required=True, help="PNG strip")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--cfg", type=float, default=7.0)
    ap.add_argument("--opensora", required=True)
    ap.add_argument("--diffusers", required=True)
    ap.add_argument("--rotary", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    ref = R.Reference(a.opensora, a.diffusers, a.rotary)
    init = os.path.join(os.path.abspath(a.opensora), "opensora", "schedulers", "rf", "__init__.py")
    spec = importlib.util.spec_from_file_location("opensora.schedulers.rf", init,
                                                  submodule_search_locations=[os.path.dirname(init)])
    rf = importlib.util.module_from_spec(spec)
    sys.modules["opensora.schedulers.rf"] = rf
    spec.loader.exec_module(rf)

    s = torch.load(a.work / "checkpoint.pt", map_location="cpu", weights_only=False)
    ids, mask, vocab = token_ids(TOKENIZER, [R.prepared_caption(a.prompt)])
    t5 = ref.t5(vocab).eval()
    t5.load_state_dict(s["t5"])
    dit = ref.stdit3().eval()
    dit.load_state_dict(s["dit_ema"])
    vae = ref.vae().eval()
    vae.load_state_dict(s["vae"])
    vae.cal_loss = False

    class TextEncoder:  # Open-Sora's T5Encoder.encode / null for the tiny T5
        def encode(self, prompts):
            with torch.no_grad():
                y = t5(input_ids=ids, attention_mask=mask).last_hidden_state
            return dict(y=y[:, None], mask=mask)

        def null(self, n):
            return dit.y_embedder.y_embedding[None].repeat(n, 1, 1)[:, None]

    torch.manual_seed(a.seed)
    z = torch.randn(1, 4, *R.LATENT)
    extra = dict(height=torch.tensor([float(R.SIZE)]), width=torch.tensor([float(R.SIZE)]),
                 num_frames=torch.tensor([float(R.FRAMES)]), fps=torch.tensor([24.0]))
    sampler = rf.RFLOW(num_sampling_steps=a.steps, cfg_scale=a.cfg, use_timestep_transform=True)
    with torch.no_grad():
        z = sampler.sample(dit, TextEncoder(), z, [a.prompt], "cpu", additional_args=extra, progress=False)
        video = vae.decode(z, num_frames=R.FRAMES)[0]  # [3, T, H, W]
    frames = ((video.clamp(-1, 1) + 1) / 2 * 255 + 0.5).clamp(0, 255).to(torch.uint8).permute(1, 2, 3, 0).numpy()
    from PIL import Image

    strip = Image.new("RGB", (R.SIZE * ((R.FRAMES + 1) // 2), R.SIZE))
    for i, f in enumerate(frames[::2]):
        strip.paste(Image.fromarray(f), (R.SIZE * i, 0))
    strip.save(a.out)
    print(f"{a.out}: {len(frames[::2])} frames of '{a.prompt}', max value {int(frames.max())}")


if __name__ == "__main__":
    main()
