#!/usr/bin/env python3
"""Exports the trained demo model (train.py's checkpoint) in the released checkpoints' formats and key names (issue 17).

Into --out it writes the three folders `jsora generate --models DIR` looks for (cli RequiredModels):

  t5-v1_1-xxl/        as Hugging Face writes a T5EncoderModel: save_pretrained's model.safetensors (the tied
                      encoder.embed_tokens.weight left out, shared.weight kept) and config.json, plus the demo
                      tokenizer.json (models/src/main/resources/jsora/models/pipeline/demo-tokenizer.json);
  OpenSora-STDiT-v3/  as hpcai-tech/OpenSora-STDiT-v3: STDiT3.state_dict() (the EMA weights) in model.safetensors and
                      the STDiT3Config fields in config.json;
  OpenSora-VAE-v1.2/  as hpcai-tech/OpenSora-VAE-v1.2: VideoAutoencoderPipeline.state_dict() (spatial_vae.module.*,
                      temporal_vae.*, scale, shift) in model.safetensors and config.json, where the sub-models'
                      dimensions are spelled out (the released file names them by type only, SDXL's VAE and
                      VAE_Temporal_SD), as the golden cases write them.

Weights are float32 (--fp16: float16, half the bytes). safetensors files carry {"format": "pt"} as torch's writer
puts it, keys sorted.

    python3 train/export.py --work train/work --out train/export \\
        --opensora /tmp/open-sora-v1.2.0 --diffusers /tmp/diffusers-v0.27.2/src --rotary /tmp/rotary-0.5.3
"""
import argparse
import json
import os
import pathlib
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from train import TOKENIZER, token_ids  # noqa: E402

FOLDERS = {"t5": "t5-v1_1-xxl", "stdit3": "OpenSora-STDiT-v3", "vae": "OpenSora-VAE-v1.2"}


def save_safetensors(path, tensors, dtype):
    from safetensors.torch import save_file

    save_file({k: v.detach().to(dtype).contiguous() for k, v in sorted(tensors.items())}, str(path),
              metadata={"format": "pt"})


def write_json(path, obj):
    path.write_text(json.dumps(obj, indent=2) + "\n")


def stdit3_config(ref_version):
    c = dict(R.STDIT3)
    return {"architectures": ["STDiT3"], "model_type": "STDiT3",
            **{k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(c.items())},
            "torch_dtype": "float32", "transformers_version": ref_version}


def vae_config(scale, shift, ref_version):
    return {
        "architectures": ["VideoAutoencoderPipeline"],
        "model_type": "VideoAutoencoderPipeline",
        "cal_loss": False,
        "freeze_vae_2d": False,
        "from_pretrained": None,
        "micro_frame_size": R.VAE_MICRO_FRAMES,
        "scale": scale,
        "shift": shift,
        "vae_2d": {"type": "VideoAutoencoderKL", "micro_batch_size": R.VAE_MICRO_BATCH,
                   "diffusers_AutoencoderKL_config": dict(R.SPATIAL)},
        "vae_temporal": {"type": "VAE_Temporal", **R.TEMPORAL},
        "torch_dtype": "float32",
        "transformers_version": ref_version,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=pathlib.Path, required=True, help="train.py's --work (holds checkpoint.pt)")
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--opensora", required=True)
    ap.add_argument("--diffusers", required=True)
    ap.add_argument("--rotary", required=True)
    ap.add_argument("--tokenizer", type=pathlib.Path, default=TOKENIZER)
    ap.add_argument("--fp16", action="store_true")
    ap.add_argument("--raw", action="store_true", help="STDiT3's trained weights instead of their EMA")
    a = ap.parse_args()
    dtype = torch.float16 if a.fp16 else torch.float32

    ref = R.Reference(a.opensora, a.diffusers, a.rotary)
    s = torch.load(a.work / "checkpoint.pt", map_location="cpu", weights_only=False)
    if s["phase"] != "done":
        print(f"note: the checkpoint is at phase {s['phase']}, step {s['step']} (training not finished)")
    _, _, vocab = token_ids(a.tokenizer, ["a"])

    # T5: the reference model with the trained (here: frozen random) weights, written by save_pretrained
    t5 = ref.t5(vocab)
    t5.load_state_dict(s["t5"])
    t5_dir = a.out / FOLDERS["t5"]
    t5.to(dtype).save_pretrained(t5_dir, safe_serialization=True)
    shutil.copyfile(a.tokenizer, t5_dir / "tokenizer.json")

    # STDiT3: the keys of STDiT3.state_dict() (rope.freqs included), as the hub checkpoint has them
    dit = ref.stdit3()
    dit.load_state_dict(s["dit" if a.raw else "dit_ema"])
    st_dir = a.out / FOLDERS["stdit3"]
    st_dir.mkdir(parents=True, exist_ok=True)
    save_safetensors(st_dir / "model.safetensors", dit.state_dict(), dtype)
    write_json(st_dir / "config.json", stdit3_config(ref.transformers_version))

    # VAE: VideoAutoencoderPipeline.state_dict() with the latents' scale and shift buffers
    vae = ref.vae()
    vae.load_state_dict(s["vae"])
    vae_dir = a.out / FOLDERS["vae"]
    vae_dir.mkdir(parents=True, exist_ok=True)
    save_safetensors(vae_dir / "model.safetensors", vae.state_dict(), dtype)
    write_json(vae_dir / "config.json", vae_config(vae.scale.flatten().tolist(), vae.shift.flatten().tolist(),
                                                   ref.transformers_version))

    total = 0
    for name in FOLDERS.values():
        for f in sorted((a.out / name).iterdir()):
            if f.suffix == ".safetensors":
                total += f.stat().st_size
            print(f"{f}: {f.stat().st_size} bytes")
    print(f"weights in all: {total} bytes ({total / 2 ** 20:.2f} MiB)")


if __name__ == "__main__":
    main()
