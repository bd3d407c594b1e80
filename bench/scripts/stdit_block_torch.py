#!/usr/bin/env python3
"""PyTorch CPU baseline for `jsora bench stdit`: one STDiT3-XL/2 block pair (spatial + temporal) with random weights,
built from torch.nn primitives, TDTM off and on, plus the sgemm rate (OpenBLAS/MKL behind torch.mm) on the block's
largest Linear shape. The project's own script; run with Debian's python3-torch:

    /usr/bin/python3 bench/scripts/stdit_block_torch.py [--frames 20 --height 32 --width 32 --batch 2 --text 300]
"""
import argparse
import math
import os
import time

import torch
from torch import nn


class QkvAttention(nn.Module):
    """Self-attention with per-head RMS-normalised q and k, optional interleaved rotary embedding."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.q_scale = nn.Parameter(torch.ones(self.head_dim))
        self.k_scale = nn.Parameter(torch.ones(self.head_dim))

    @staticmethod
    def rms(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w

    def forward(self, x, rope=None):
        n, length, dim = x.shape
        q, k, v = self.qkv(x).view(n, length, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = self.rms(q, self.q_scale), self.rms(k, self.k_scale)
        if rope is not None:
            q, k = rotate(q, *rope), rotate(k, *rope)
        w = torch.softmax((q * self.head_dim ** -0.5) @ k.transpose(-2, -1), dim=-1)
        return self.proj((w @ v).transpose(1, 2).reshape(n, length, dim))


def rope_tables(length, head_dim):
    freqs = 1.0 / 10000 ** (torch.arange(0, head_dim, 2).float() / head_dim)
    angles = torch.outer(torch.arange(length).float(), freqs).repeat_interleave(2, dim=-1)
    return angles.cos(), angles.sin()


def rotate(x, cos, sin):
    pairs = x.unflatten(-1, (-1, 2))
    swapped = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).flatten(-2)
    return x * cos + swapped * sin


class TextAttention(nn.Module):
    """Cross-attention of each sample's video tokens to its own caption tokens (all captions the same length)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.q_linear = nn.Linear(dim, dim)
        self.kv_linear = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, y):
        b, n, dim = x.shape
        q = self.q_linear(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k, v = self.kv_linear(y).view(b, -1, 2, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        w = torch.softmax((q * self.head_dim ** -0.5) @ k.transpose(-2, -1), dim=-1)
        return self.proj((w @ v).transpose(1, 2).reshape(b, n, dim))


def merge(x):
    """[(B S), T, C] -> pairs of frames averaged (odd last frame left out)."""
    t = x.shape[1] // 2 * 2
    return (x[:, 0:t:2] + x[:, 1:t:2]) / 2


def unmerge(m, frames):
    out = m.repeat_interleave(2, dim=1)
    if frames % 2:
        out = torch.cat([out, m[:, -1:]], dim=1)
    return out


class Block(nn.Module):
    def __init__(self, dim, heads, mlp, temporal):
        super().__init__()
        self.temporal = temporal
        self.norm = nn.LayerNorm(dim, eps=1e-6, elementwise_affine=False)
        self.attn = QkvAttention(dim, heads)
        self.cross_attn = TextAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(approximate="tanh"), nn.Linear(mlp, dim))
        self.table = nn.Parameter(torch.randn(6, dim) / dim ** 0.5)

    def forward(self, x, y, t_mlp, frames, s, tdtm):
        b, n, c = x.shape
        shift1, scale1, gate1, shift2, scale2, gate2 = (self.table[None] + t_mlp.view(b, 6, c)).chunk(6, dim=1)
        h = self.norm(x) * (1 + scale1) + shift1
        tm = frames // 2 if tdtm else frames
        seq = h.view(b, frames, s, c).transpose(1, 2).reshape(b * s, frames, c)
        if tdtm:
            seq = merge(seq)
        if self.temporal:
            a = self.attn(seq, rope_tables(tm, c // self.attn.heads))
        else:
            a = self.attn(seq.view(b, s, tm, c).transpose(1, 2).reshape(b * tm, s, c))
            a = a.view(b, tm, s, c).transpose(1, 2).reshape(b * s, tm, c)
        if tdtm:
            a = unmerge(a, frames)
        x = x + gate1 * a.view(b, s, frames, c).transpose(1, 2).reshape(b, n, c)
        if tdtm:
            q = merge(x.view(b, frames, s, c).transpose(1, 2).reshape(b * s, frames, c))
            q = q.view(b, s, tm, c).transpose(1, 2).reshape(b, tm * s, c)
            o = self.cross_attn(q, y).view(b, tm, s, c).transpose(1, 2).reshape(b * s, tm, c)
            x = x + unmerge(o, frames).view(b, s, frames, c).transpose(1, 2).reshape(b, n, c)
        else:
            x = x + self.cross_attn(x, y)
        h = self.norm(x) * (1 + scale2) + shift2
        return x + gate2 * self.mlp(h)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=20)
    p.add_argument("--height", type=int, default=32)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--text", type=int, default=300)
    p.add_argument("--iterations", type=int, default=2)
    p.add_argument("--gemm-rows", type=int, default=5120)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dim, heads, mlp = 1152, 16, 4608
    s = ((a.height + 1) // 2) * ((a.width + 1) // 2)
    spatial, temporal = Block(dim, heads, mlp, False), Block(dim, heads, mlp, True)
    x0 = torch.randn(a.batch, a.frames * s, dim)
    y = torch.randn(a.batch, a.text, dim)
    t_mlp = torch.randn(a.batch, 6 * dim) * 0.1
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}: B={a.batch}, T={a.frames}, S={s}, "
          f"text={a.text}")
    with torch.no_grad():
        xg, wg = torch.randn(a.gemm_rows, dim), torch.randn(dim, mlp)
        xg @ wg
        t0 = time.perf_counter()
        xg @ wg
        gemm = 2 * a.gemm_rows * dim * mlp / (time.perf_counter() - t0) / 1e9
        print(f"sgemm [{a.gemm_rows}, {dim}] x [{dim}, {mlp}]: {gemm:.1f} GFLOPS")
        for tdtm in (False, True):
            spatial(x0, y, t_mlp, a.frames, s, tdtm)  # warm-up
            times = []
            for _ in range(a.iterations):
                t0 = time.perf_counter()
                x = spatial(x0, y, t_mlp, a.frames, s, tdtm)
                temporal(x, y, t_mlp, a.frames, s, tdtm)
                times.append(time.perf_counter() - t0)
            best = min(times)
            print(f"TDTM {'on ' if tdtm else 'off'}: {best * 1e3:10.1f} ms/pair (best of {a.iterations})")


if __name__ == "__main__":
    main()
