#!/usr/bin/env python3
"""One T5 v1.1 XXL encoder block in PyTorch (CPU), for comparison with `jsora bench t5`.

The same math as jsora's T5Block on the same shapes, built from torch.nn primitives: pre-norm RMSNorm (variance in
float32, eps inside the root), self-attention without biases and without 1/sqrt(d) logit scaling plus a relative
position bias [H, L, L], and the gated-GELU (tanh) feed-forward. Random weights, fp32, no mask (one prompt of --tokens
real tokens, as jsora's default real-tokens path runs it).

Also times one sgemm of the block's largest projection shape ([tokens, 4096] x [4096, 10240]) to give the block's
GEMM-bound time: its FLOPs divided by that sgemm rate.

    python3 bench/scripts/t5_block_torch.py --tokens 300 --threads 2
"""
import argparse
import os
import platform
import resource
import statistics
import time

D_MODEL, HEADS, D_KV, D_FF, EPS = 4096, 64, 64, 10240, 1e-6


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=300)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    return ap.parse_args()


# the thread count must reach OpenBLAS (which Debian's torch calls for sgemm) before torch is imported
ARGS = parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def blas_library():
    """The BLAS shared library this process has mapped (torch's BLAS_INFO is only "generic" on Debian)."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.lower()}
    return ", ".join(sorted(os.path.basename(p) for p in libs)) or "unknown"


class RmsNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        var = x.float().pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + EPS))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        inner = HEADS * D_KV
        self.ln0 = RmsNorm(D_MODEL)
        self.q = nn.Linear(D_MODEL, inner, bias=False)
        self.k = nn.Linear(D_MODEL, inner, bias=False)
        self.v = nn.Linear(D_MODEL, inner, bias=False)
        self.o = nn.Linear(inner, D_MODEL, bias=False)
        self.ln1 = RmsNorm(D_MODEL)
        self.wi_0 = nn.Linear(D_MODEL, D_FF, bias=False)
        self.wi_1 = nn.Linear(D_MODEL, D_FF, bias=False)
        self.wo = nn.Linear(D_FF, D_MODEL, bias=False)

    def forward(self, x, bias):
        b, l, _ = x.shape
        h = self.ln0(x)
        split = lambda t: t.view(b, l, HEADS, D_KV).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) + bias  # no 1/sqrt(d_kv)
        attn = torch.matmul(F.softmax(scores.float(), dim=-1), v)
        x = x + self.o(attn.transpose(1, 2).reshape(b, l, HEADS * D_KV))
        h = self.ln1(x)
        return x + self.wo(F.gelu(self.wi_0(h), approximate="tanh") * self.wi_1(h))


def block_flops(tokens):
    linear = 2.0 * tokens * (D_MODEL * HEADS * D_KV * 4 + D_MODEL * D_FF * 3)
    attention = 2.0 * 2 * HEADS * tokens * tokens * D_KV
    return linear + attention


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main():
    a = ARGS
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    block = Block().eval()
    x = torch.randn(1, a.tokens, D_MODEL)
    bias = torch.randn(HEADS, a.tokens, a.tokens)
    with torch.no_grad():
        block(x[:, :1], bias[:, :1, :1])  # loads the BLAS library
        print(f"torch {torch.__version__}, {a.threads} threads, {platform.machine()}, BLAS {blas_library()}")
        secs = timed(lambda: block(x, bias), a.warmup, a.runs)
        for i, s in enumerate(secs):
            print(f"run {i + 1}: {s:.3f} s")
        med = statistics.median(secs)
        flops = block_flops(a.tokens)
        print(f"block: median {med:.3f} s, best {min(secs):.3f} s; {flops / 1e9:.1f} GFLOP -> {flops / med / 1e9:.2f} GFLOPS")
        w = torch.randn(D_MODEL, D_FF)
        xs = torch.randn(a.tokens, D_MODEL)
        gemm = statistics.median(timed(lambda: torch.mm(xs, w), 1, 3))
        rate = 2.0 * a.tokens * D_MODEL * D_FF / gemm
        print(f"sgemm [{a.tokens}x{D_MODEL}]x[{D_MODEL}x{D_FF}]: {gemm * 1e3:.1f} ms -> {rate / 1e9:.2f} GFLOPS; "
              f"block GEMM-bound time {flops / rate:.3f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"peak RSS {rss / 2 ** 30:.2f} GB")


if __name__ == "__main__":
    main()
