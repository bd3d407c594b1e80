#!/usr/bin/env python3
"""PyTorch CPU baseline for `jsora bench vae`: the Open-Sora VAE v1.2 decoders (temporal VAE, then the SDXL image VAE
per frame) built from torch.nn primitives with random weights in the real shapes, decoding the same latents shape
with the same chunking (5 latent frames per temporal chunk, micro_batch frames per spatial call).

Run with Debian's torch:  /usr/bin/python3 bench/scripts/vae_decode_torch.py --latent-frames 20 --size 32
Prints one line per phase and the peak RSS of this process, the decode's FLOPs (2 per multiply-add of every
convolution, linear layer and attention product, counted with forward hooks) and its GEMM-bound time: those FLOPs
at the rate of one sgemm of the shape of the spatial decoder's widest full-resolution convolution as im2col
([positions x 2304] . [2304 x 256]).
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv3d(nn.Module):
    """Conv3d whose time axis is zero-padded on the past side only; H/W padded k//2 on both sides."""

    def __init__(self, cin, cout, k, bias=True):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, k, bias=bias)
        self.pad = (k // 2, k // 2, k // 2, k // 2, k - 1, 0)

    def forward(self, x):
        return self.conv(F.pad(x, self.pad))


class TemporalResBlock(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = CausalConv3d(cin, cout, 3, bias=False)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = CausalConv3d(cout, cout, 3, bias=False)
        self.conv3 = CausalConv3d(cin, cout, 1, bias=False) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return h + (x if self.conv3 is None else self.conv3(x))


class TemporalDecoder(nn.Module):
    def __init__(self, filters=128, mults=(1, 2, 2, 4), down=(False, True, True), blocks=4, groups=32, latent=4):
        super().__init__()
        top = filters * mults[-1]
        self.post_quant_conv = CausalConv3d(latent, latent, 1)
        self.conv1 = CausalConv3d(latent, top, 3)
        self.res = nn.ModuleList([TemporalResBlock(top, top, groups) for _ in range(blocks)])
        self.levels = nn.ModuleList()
        self.ups = nn.ModuleList()
        prev = top
        for i in reversed(range(len(mults))):
            f = filters * mults[i]
            level = nn.ModuleList()
            for _ in range(blocks):
                level.append(TemporalResBlock(prev, f, groups))
                prev = f
            self.levels.append(level)
            self.ups.append(CausalConv3d(prev, 2 * prev, 3) if i > 0 and down[i - 1] else None)
        self.norm = nn.GroupNorm(groups, prev)
        self.conv_out = CausalConv3d(prev, latent, 3)

    def forward(self, z, num_frames):
        h = self.conv1(self.post_quant_conv(z))
        for b in self.res:
            h = b(h)
        for level, up in zip(self.levels, self.ups):
            for b in level:
                h = b(h)
            if up is not None:
                h = up(h)
                b_, c2, t, hh, ww = h.shape
                h = h.reshape(b_, c2 // 2, 2, t, hh, ww).permute(0, 1, 3, 2, 4, 5).reshape(b_, c2 // 2, 2 * t, hh, ww)
        h = self.conv_out(F.silu(self.norm(h)))
        pad = (4 - num_frames % 4) % 4
        return h[:, :, pad:]


class Resnet2D(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-6)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-6)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return h + (x if self.shortcut is None else self.shortcut(x))


FLOPS = [0]


def count_flops(module, inputs, output):
    """Forward hook: 2 FLOPs per multiply-add of a convolution or linear layer."""
    if isinstance(module, (nn.Conv2d, nn.Conv3d)):
        FLOPS[0] += 2 * output.numel() * module.weight[0].numel()
    elif isinstance(module, nn.Linear):
        FLOPS[0] += 2 * output.numel() * module.in_features


class Attention2D(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, c, eps=1e-6)
        self.q, self.k, self.v, self.o = (nn.Linear(c, c) for _ in range(4))

    def forward(self, x):
        n, c, h, w = x.shape
        t = self.norm(x).reshape(n, c, h * w).transpose(1, 2)
        a = torch.softmax(self.q(t) @ self.k(t).transpose(1, 2) / c ** 0.5, dim=-1) @ self.v(t)
        FLOPS[0] += 2 * 2 * n * (h * w) ** 2 * c
        return x + self.o(a).transpose(1, 2).reshape(n, c, h, w)


class SpatialDecoder(nn.Module):
    def __init__(self, channels=(128, 256, 512, 512), layers=2, groups=32, latent=4):
        super().__init__()
        top = channels[-1]
        self.post_quant_conv = nn.Conv2d(latent, latent, 1)
        self.conv_in = nn.Conv2d(latent, top, 3, padding=1)
        self.mid = nn.ModuleList([Resnet2D(top, top, groups), Attention2D(top, groups), Resnet2D(top, top, groups)])
        self.blocks = nn.ModuleList()
        self.ups = nn.ModuleList()
        prev = top
        for i, c in enumerate(reversed(channels)):
            self.blocks.append(nn.ModuleList([Resnet2D(prev if j == 0 else c, c, groups) for j in range(layers + 1)]))
            self.ups.append(nn.Conv2d(c, c, 3, padding=1) if i < len(channels) - 1 else None)
            prev = c
        self.norm = nn.GroupNorm(groups, channels[0], eps=1e-6)
        self.conv_out = nn.Conv2d(channels[0], 3, 3, padding=1)

    def forward(self, z):
        h = self.conv_in(self.post_quant_conv(z))
        for m in self.mid:
            h = m(h)
        for block, up in zip(self.blocks, self.ups):
            for r in block:
                h = r(h)
            if up is not None:
                h = up(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        return self.conv_out(F.silu(self.norm(h)))


def randomize(module, seed):
    g = torch.Generator().manual_seed(seed)
    for name, p in module.named_parameters():
        if p.ndim >= 2:
            a = (3.0 / p[0].numel()) ** 0.5
            p.data = (torch.rand(p.shape, generator=g) * 2 - 1) * a
        else:
            p.data.fill_(1.0 if name.endswith("weight") else 0.0)


def sgemm_rate(positions=16384, k=2304, n=256):
    """FLOP/s of one [positions x k] . [k x n] sgemm (best of 3), the conv-as-GEMM shape of a 256-channel 3x3 conv."""
    a, b = torch.randn(positions, k), torch.randn(k, n)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * positions * k * n / best


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latent-frames", type=int, default=20)
    ap.add_argument("--frames", type=int, default=None, help="video frames (default: the most the latents give)")
    ap.add_argument("--size", type=int, default=32, help="latent height and width")
    ap.add_argument("--micro-batch", type=int, default=4, help="frames per spatial decoder call")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--temporal-only", action="store_true", help="stop after the temporal decode")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    temporal, spatial = TemporalDecoder().eval(), SpatialDecoder().eval()
    randomize(temporal, 1)
    randomize(spatial, 2)
    for m in list(temporal.modules()) + list(spatial.modules()):
        m.register_forward_hook(count_flops)
    params = sum(p.numel() for p in temporal.parameters()) + sum(p.numel() for p in spatial.parameters())
    z = torch.randn(1, 4, a.latent_frames, a.size, a.size, generator=torch.Generator().manual_seed(0))
    frames = a.frames or 17 * (a.latent_frames // 5) + 4 * (a.latent_frames % 5)
    print(f"torch {torch.__version__}, {a.threads} threads, decoder params {params / 1e6:.1f} M, "
          f"latents [4, {a.latent_frames}, {a.size}, {a.size}] -> {frames} frames of {8 * a.size}x{8 * a.size}, "
          f"micro batch {a.micro_batch}")
    with torch.no_grad():
        t0 = time.perf_counter()
        chunks, left = [], frames
        for i in range(0, a.latent_frames, 5):
            chunks.append(temporal(z[:, :, i:i + 5], min(17, left)))
            left -= 17
        xz = torch.cat(chunks, dim=2)
        t1 = time.perf_counter()
        if a.temporal_only:
            print(f"temporal decode {t1 - t0:.2f} s, {FLOPS[0] / 1e9:.1f} GFLOP, output {list(xz.shape)}, "
                  f"peak RSS {peak_rss_mb():.0f} MB")
            return
        xz = xz[0].permute(1, 0, 2, 3) / 0.18215
        video = [spatial(xz[i:i + a.micro_batch]) for i in range(0, xz.shape[0], a.micro_batch)]
        video = torch.cat(video)
        t2 = time.perf_counter()
    print(f"temporal decode {t1 - t0:.2f} s, spatial decode {t2 - t1:.2f} s, total {t2 - t0:.2f} s, "
          f"output {list(video.shape)}, peak RSS {peak_rss_mb():.0f} MB")
    rate = sgemm_rate()
    print(f"decode {FLOPS[0] / 1e9:.1f} GFLOP ({FLOPS[0] / 1e9 / (t2 - t0):.1f} GFLOPS); sgemm {rate / 1e9:.1f} GFLOPS; "
          f"GEMM-bound time {FLOPS[0] / rate:.2f} s")


if __name__ == "__main__":
    main()
