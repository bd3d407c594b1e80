#!/usr/bin/env python3
"""Trains the demo model (issue 17): Open-Sora 1.2's own modules at tiny widths, on the synthetic clips.

The networks are the reference's, imported from checkouts (see reference.py for the stand-ins and the sizes):
Open-Sora v1.2.0's VideoAutoencoderPipeline (diffusers v0.27.2's AutoencoderKL as its spatial VAE, VAE_Temporal as
its temporal VAE) and STDiT3, the rectified-flow loss of opensora/schedulers/rf/rectified_flow.py (RFlowScheduler),
and transformers' T5EncoderModel with a tiny T5Config. Phases, in order, each a number of optimiser steps:

  spatial   the spatial VAE (AutoencoderKL) on single frames: MSE + L1 reconstruction + a small KL term;
  temporal  the temporal VAE on the frozen spatial VAE's latents of whole clips (17 frames -> 5): latent MSE + small KL;
  latents   every clip encoded once (posterior means, as VideoAutoencoderPipeline.encode without the sampling), and the
            latents' per-channel mean and std, which become the pipeline's shift and scale (so z is about N(0, 1));
  dit       STDiT3 on those latents with RFlowScheduler.training_losses (x_t = (1 - t/1000)·x0 + (t/1000)·noise,
            velocity target x0 - noise, logit-normal t with Open-Sora 1.2's timestep transform) and caption dropout
            (class_dropout_prob 0.1: the caption replaced by the learned null caption y_embedding, so CFG works).

T5 is frozen at its seeded random initialisation (HF's T5 init): there are only 40 captions, so its outputs are
computed once, and STDiT3's caption projection and cross-attention learn to read them. Its weights are exported as
they are, so jsora's T5 reproduces the same features from the same ids.

The run is resumable: --minutes bounds one invocation; it saves its own checkpoint (every --save-minutes and at the
end) and --resume continues from it. Every step draws its batch, noise and timesteps from generators seeded by
(seed, phase, step), so a run split across invocations gives the same weights as one run. Losses go to loss.csv.

    python3 train/train.py --work train/work --minutes 110 --resume \\
        --opensora /tmp/open-sora-v1.2.0 --diffusers /tmp/diffusers-v0.27.2/src --rotary /tmp/rotary-0.5.3
"""
import argparse
import csv
import json
import math
import os
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from make_dataset import COLOURS, MOTIONS, SHAPES, caption  # noqa: E402

PHASES = ("spatial", "temporal", "latents", "dit", "done")
ROOT = pathlib.Path(__file__).resolve().parent.parent
TOKENIZER = ROOT / "models/src/main/resources/jsora/models/pipeline/demo-tokenizer.json"


def arguments(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=pathlib.Path, default=ROOT / "train/data/clips.npz")
    ap.add_argument("--tokenizer", type=pathlib.Path, default=TOKENIZER)
    ap.add_argument("--work", type=pathlib.Path, required=True, help="checkpoint, loss.csv and latents go here")
    ap.add_argument("--opensora", required=True, help="Open-Sora v1.2.0 checkout (holds opensora/)")
    ap.add_argument("--diffusers", required=True, help="diffusers v0.27.2 src/ (holds diffusers/)")
    ap.add_argument("--rotary", required=True, help="rotary-embedding-torch 0.5.3 checkout")
    ap.add_argument("--minutes", type=float, default=10.0, help="time budget of this invocation")
    ap.add_argument("--save-minutes", type=float, default=5.0, help="checkpoint interval")
    ap.add_argument("--resume", action="store_true", help="continue from WORK/checkpoint.pt when it exists")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1: on a shared 2-core machine a second thread mostly waits at barriers)")
    ap.add_argument("--clips", type=int, default=0, help="use only the first N clips (0: all)")
    ap.add_argument("--spatial-steps", type=int, default=6000)
    ap.add_argument("--spatial-batch", type=int, default=16, help="frames per spatial step")
    ap.add_argument("--temporal-steps", type=int, default=3000)
    ap.add_argument("--temporal-batch", type=int, default=8, help="clips per temporal step")
    ap.add_argument("--dit-steps", type=int, default=8000)
    ap.add_argument("--dit-batch", type=int, default=32, help="latent clips per STDiT3 step")
    ap.add_argument("--kl", type=float, default=1e-6, help="KL weight of both VAE parts")
    ap.add_argument("--ema", type=float, default=0.998, help="EMA decay of STDiT3 (the exported weights)")
    ap.add_argument("--stop-after", choices=PHASES[:-1], help="stop after this phase (for checking)")
    return ap.parse_args(argv)


def captions():
    """The 40 captions in make_dataset's order."""
    return [caption(c, s, m) for c in COLOURS for s in SHAPES for m in MOTIONS]


def token_ids(tokenizer_json, texts, length=R.TEXT_LEN):
    """As jsora (and T5Embedder) tokenise: the tokenizer's ids with </s> appended, right-padded with 0 to `length`."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    ids = torch.zeros(len(texts), length, dtype=torch.long)
    mask = torch.zeros(len(texts), length, dtype=torch.long)
    for i, t in enumerate(texts):
        e = tok.encode(t).ids[:length]
        ids[i, :len(e)] = torch.tensor(e)
        mask[i, :len(e)] = 1
    return ids, mask, tok.get_vocab_size()


def generator(seed, phase, step):
    g = torch.Generator().manual_seed((seed * 1_000_003 + PHASES.index(phase) * 10_000_019 + step) % (2 ** 63))
    return g, np.random.default_rng([seed, PHASES.index(phase), step])


class Trainer:
    def __init__(self, a):
        self.a = a
        torch.set_num_threads(a.threads)
        torch.manual_seed(a.seed)
        self.ref = R.Reference(a.opensora, a.diffusers, a.rotary)
        data = np.load(a.data)
        video, caps = data["video"], [str(c) for c in data["caption"]]
        if a.clips:
            video, caps = video[:a.clips], caps[:a.clips]
        self.video = video  # [N, T, H, W, 3] uint8
        names = captions()
        self.caption_index = np.array([names.index(c) for c in caps])
        self.ids, self.mask, vocab = token_ids(a.tokenizer, [R.prepared_caption(c) for c in names])

        torch.manual_seed(a.seed + 1)
        self.t5 = self.ref.t5(vocab).eval()
        torch.manual_seed(a.seed + 2)
        self.vae = self.ref.vae()
        torch.manual_seed(a.seed + 3)
        self.dit = self.ref.stdit3()
        self.dit_ema = self.ref.stdit3().eval()
        self.dit_ema.load_state_dict(self.dit.state_dict())
        for p in list(self.t5.parameters()) + list(self.dit_ema.parameters()):
            p.requires_grad_(False)
        self.dit.y_embedder.uncond_prob = 0.0  # caption dropout is done in dit_step (token_drop calls .cuda())
        self.scheduler = self.ref.RFlowScheduler(use_timestep_transform=True, sample_method="logit-normal")
        with torch.no_grad():
            self.y = self.t5(input_ids=self.ids, attention_mask=self.mask).last_hidden_state  # [40, L, C]

        self.phase, self.step, self.latents = PHASES[0], 0, None
        self.optimizers = {
            "spatial": torch.optim.AdamW(self.vae.spatial_vae.parameters(), lr=1e-3, weight_decay=0.0),
            "temporal": torch.optim.AdamW(self.vae.temporal_vae.parameters(), lr=1e-3, weight_decay=0.0),
            "dit": torch.optim.AdamW(self.dit.parameters(), lr=5e-4, weight_decay=0.0),
        }
        a.work.mkdir(parents=True, exist_ok=True)
        self.ckpt = a.work / "checkpoint.pt"
        self.log = a.work / "loss.csv"

    # ----------------------------------------------------------------------------------------------------------
    def state(self):
        return {"phase": self.phase, "step": self.step, "latents": self.latents,
                "t5": self.t5.state_dict(), "vae": self.vae.state_dict(), "dit": self.dit.state_dict(),
                "dit_ema": self.dit_ema.state_dict(),
                "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()},
                "args": {k: str(v) for k, v in vars(self.a).items()}}

    def save(self):
        tmp = self.ckpt.with_suffix(".tmp")
        torch.save(self.state(), tmp)
        os.replace(tmp, self.ckpt)

    def load(self):
        s = torch.load(self.ckpt, map_location="cpu", weights_only=False)
        self.phase, self.step, self.latents = s["phase"], s["step"], s["latents"]
        self.t5.load_state_dict(s["t5"])
        self.vae.load_state_dict(s["vae"])
        self.dit.load_state_dict(s["dit"])
        self.dit_ema.load_state_dict(s["dit_ema"])
        for k, o in self.optimizers.items():
            o.load_state_dict(s["optimizers"][k])

    def clips(self, rng, n):
        """n random clips as [n, 3, T, H, W] in [-1, 1] and their caption indices."""
        idx = rng.integers(0, len(self.video), n)
        x = torch.from_numpy(self.video[idx]).float().div(127.5).sub(1).permute(0, 4, 1, 2, 3).contiguous()
        return x, self.caption_index[idx]

    @staticmethod
    def lr_scale(step, warmup=200):
        return min(1.0, (step + 1) / warmup)

    # ----------------------------------------------------------------------------------------------------------
    def spatial_step(self, g, rng):
        a = self.a
        x, _ = self.clips(rng, a.spatial_batch)
        frames = torch.from_numpy(rng.integers(0, R.FRAMES, a.spatial_batch))
        img = x[torch.arange(a.spatial_batch), :, frames]  # [B, 3, H, W]
        ae = self.vae.spatial_vae.module
        posterior = ae.encode(img).latent_dist
        z = posterior.mean + posterior.std * torch.randn(posterior.mean.shape, generator=g)
        rec = ae.decode(z).sample
        return F.mse_loss(rec, img) + F.l1_loss(rec, img) + a.kl * posterior.kl().mean()

    def temporal_step(self, g, rng):
        a = self.a
        x, _ = self.clips(rng, a.temporal_batch)
        with torch.no_grad():
            x_z = self.spatial_mean(x)
        tv = self.vae.temporal_vae
        posterior = tv.encode(x_z)
        z = posterior.mean + posterior.std * torch.randn(posterior.mean.shape, generator=g)
        x_z_rec = tv.decode(z, num_frames=x_z.shape[2])
        kl = posterior.kl().mean()
        return F.mse_loss(x_z_rec, x_z) + a.kl * kl

    def spatial_mean(self, x):
        """VideoAutoencoderKL.encode with the posterior's mean instead of a sample: [B, 3, T, H, W] -> [B, 4, T, h, w]."""
        b = x.shape[0]
        f = x.permute(0, 2, 1, 3, 4).reshape(-1, *x.shape[1:2], *x.shape[3:])
        z = self.vae.spatial_vae.module.encode(f).latent_dist.mean * 0.18215
        return z.reshape(b, -1, *z.shape[1:]).permute(0, 2, 1, 3, 4)

    def encode_all(self, deadline):
        """The latents phase, resumable in chunks: z = temporal posterior mean of the spatial posterior means."""
        n = len(self.video)
        if self.latents is None:
            self.latents = torch.zeros(n, 4, *R.LATENT)
        chunk = 32
        self.vae.eval()
        with torch.no_grad():
            while self.step < n and time.time() < deadline:
                i = self.step
                x = torch.from_numpy(self.video[i:i + chunk]).float().div(127.5).sub(1).permute(0, 4, 1, 2, 3)
                self.latents[i:i + chunk] = self.vae.temporal_vae.encode(self.spatial_mean(x)).mean
                self.step = min(n, i + chunk)
        self.vae.train()
        if self.step >= n:
            shift = self.latents.mean(dim=(0, 2, 3, 4))
            scale = self.latents.std(dim=(0, 2, 3, 4))
            self.vae.shift.copy_(shift[None, :, None, None, None])
            self.vae.scale.copy_(scale[None, :, None, None, None])
            print(f"latents of {n} clips: shift {shift.tolist()}, scale {scale.tolist()}", flush=True)
            return True
        return False

    def dit_step(self, g, rng):
        a = self.a
        idx = torch.from_numpy(rng.integers(0, len(self.video), a.dit_batch))
        x0 = (self.latents[idx] - self.vae.shift[0]) / self.vae.scale[0]
        ci = torch.from_numpy(self.caption_index[idx.numpy()])
        y = self.y[ci][:, None]  # [B, 1, L, C]
        drop = (torch.rand(a.dit_batch, generator=g) < 0.1).long()
        y = self.dit.y_embedder.token_drop(y, force_drop_ids=drop)  # the reference's caption dropout, CPU-safe
        b = a.dit_batch
        kwargs = dict(y=y, mask=self.mask[ci], fps=torch.full((b,), 24.0),
                      height=torch.full((b,), float(R.SIZE)), width=torch.full((b,), float(R.SIZE)),
                      num_frames=torch.full((b,), float(R.FRAMES)))
        # RFlowScheduler.training_losses with its own t sampling (logit-normal, timestep_transform); its sampling
        # draws from torch's global generator, seeded here per step
        torch.manual_seed(int(torch.randint(0, 2 ** 62, (1,), generator=g)))
        noise = torch.randn(x0.shape, generator=g)
        return self.scheduler.training_losses(self.dit, x0, kwargs, noise=noise)["loss"].mean()

    def ema(self):
        with torch.no_grad():
            for e, p in zip(self.dit_ema.parameters(), self.dit.parameters()):
                e.mul_(self.a.ema).add_(p.detach(), alpha=1 - self.a.ema)

    # ----------------------------------------------------------------------------------------------------------
    def run(self):
        a = self.a
        if a.resume and self.ckpt.exists():
            self.load()
            print(f"resumed at phase {self.phase}, step {self.step}", flush=True)
        start = time.time()
        deadline = start + a.minutes * 60
        next_save = start + a.save_minutes * 60
        new_log = not self.log.exists() or not a.resume
        with open(self.log, "w" if new_log else "a", newline="") as f:
            out = csv.writer(f)
            if new_log:
                out.writerow(["phase", "step", "loss", "seconds", "lr"])
            while self.phase != "done" and time.time() < deadline:
                limit = {"spatial": a.spatial_steps, "temporal": a.temporal_steps, "dit": a.dit_steps}.get(self.phase)
                if self.phase == "latents":
                    finished = self.encode_all(deadline)
                elif self.step >= limit:
                    finished = True
                else:
                    finished = False
                    g, rng = generator(a.seed, self.phase, self.step)
                    opt = self.optimizers[self.phase]
                    base = {"spatial": 1e-3, "temporal": 1e-3, "dit": 5e-4}[self.phase]
                    for group in opt.param_groups:
                        group["lr"] = base * self.lr_scale(self.step)
                    t0 = time.time()
                    model = self.dit if self.phase == "dit" else self.vae
                    model.train()
                    loss = getattr(self, self.phase + "_step")(g, rng)
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_([p for gr in opt.param_groups for p in gr["params"]], 1.0)
                    opt.step()
                    if self.phase == "dit":
                        self.ema()
                    dt = time.time() - t0
                    out.writerow([self.phase, self.step, f"{loss.item():.6f}", f"{dt:.3f}",
                                  f"{opt.param_groups[0]['lr']:.2e}"])
                    if self.step % 20 == 0:
                        f.flush()
                        print(f"{self.phase} {self.step}: loss {loss.item():.5f} ({dt:.2f} s/step)", flush=True)
                    self.step += 1
                if finished:
                    print(f"phase {self.phase} done", flush=True)
                    if self.phase == a.stop_after:
                        self.phase, self.step = PHASES[PHASES.index(self.phase) + 1], 0
                        break
                    self.phase, self.step = PHASES[PHASES.index(self.phase) + 1], 0
                if time.time() >= next_save:
                    self.save()
                    next_save = time.time() + a.save_minutes * 60
        self.save()
        print(f"saved {self.ckpt} at phase {self.phase}, step {self.step} "
              f"({(time.time() - start) / 60:.1f} min this run)", flush=True)


def main():
    Trainer(arguments()).run()


if __name__ == "__main__":
    main()
