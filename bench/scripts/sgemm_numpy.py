#!/usr/bin/env python3
"""Anchor for jsora's GEMM benchmarks: numpy's float32 matmul (OpenBLAS sgemm) on the same shapes.

    python3 sgemm_numpy.py                 # the model shapes of `jsora bench kernels`
    python3 sgemm_numpy.py M N K           # one shape, like `jsora bench gemm M N K`; last line gflops=<best>

Times x[M,K] @ W[N,K].T after a warm-up and reports the best and median GFLOP/s (2*M*N*K per product) by wall
clock, and the best per CPU-second of the process (per core; hardly moved by other processes on a shared machine).
Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so OpenBLAS picks its own kernel, e.g.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/scripts/sgemm_numpy.py
The first lines say which BLAS, kernel (core type) and thread count ran.
"""
import argparse
import ctypes
import glob
import os
import statistics
import sys
import time

import numpy as np

SHAPES = [  # M, K, N, what
    (5120, 1152, 3456, "STDiT3 qkv"),
    (5120, 1152, 1152, "STDiT3 attn proj / cross q"),
    (5120, 1152, 4608, "STDiT3 mlp fc1"),
    (5120, 4608, 1152, "STDiT3 mlp fc2"),
    (300, 4096, 4096, "T5 q/k/v/o"),
    (300, 4096, 10240, "T5 wi_0 / wi_1"),
    (300, 10240, 4096, "T5 wo"),
]


def describe_blas():
    """Which BLAS library, kernel and thread count numpy uses (threadpoolctl if present, else OpenBLAS itself)."""
    try:
        from threadpoolctl import threadpool_info
        for p in threadpool_info():
            if p.get("user_api") == "blas":
                return "%s %s core=%s threads=%s" % (p.get("internal_api"), p.get("version"),
                                                    p.get("architecture"), p.get("num_threads"))
    except ImportError:
        pass
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                try:
                    core = getattr(lib, prefix + "get_corename" + suffix)
                    threads = getattr(lib, prefix + "get_num_threads" + suffix)
                    config = getattr(lib, prefix + "get_config" + suffix)
                except AttributeError:
                    continue
                core.restype = ctypes.c_char_p
                config.restype = ctypes.c_char_p
                return "%s core=%s threads=%d (threadpoolctl not installed; asked OpenBLAS)" % (
                    config().decode(), core().decode(), threads())
    return "unknown BLAS (no threadpoolctl, no bundled OpenBLAS found)"


def time_shape(m, n, k, runs, warmup_seconds):
    rng = np.random.default_rng(42)
    x = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    w = rng.uniform(-1, 1, (n, k)).astype(np.float32)
    y = np.empty((m, n), dtype=np.float32)
    until = time.perf_counter() + warmup_seconds
    i = 0
    while i < 3 or time.perf_counter() < until:
        np.matmul(x, w.T, out=y)
        i += 1
    g = []
    per_cpu = []
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        np.matmul(x, w.T, out=y)
        dt = time.perf_counter() - t0
        dc = time.process_time() - c0
        g.append(2.0 * m * n * k / dt / 1e9)
        per_cpu.append(2.0 * m * n * k / max(dc, 1e-9) / 1e9)
    return max(g), statistics.median(g), max(per_cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mnk", nargs="*", type=int, help="M N K (default: the model shapes)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=float, default=2.0)
    a = ap.parse_args()
    print("numpy %s; %s; OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (
        np.__version__, describe_blas(), os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        os.environ.get("OPENBLAS_L2_SIZE", "(unset)")))
    if a.mnk:
        if len(a.mnk) != 3:
            sys.exit("sgemm_numpy.py: give M N K, or nothing for the model shapes")
        m, n, k = a.mnk
        best, median, per_cpu = time_shape(m, n, k, a.runs, a.warmup)
        print("sgemm M=%d N=%d K=%d runs=%d median=%.1f GFLOP/s best-per-cpu-second=%.1f GFLOP/s" % (
            m, n, k, a.runs, median, per_cpu))
        print("gflops=%.1f" % best)
        return
    print("%-28s %6s %6s %6s %10s %10s %10s" % ("shape", "M", "K", "N", "best", "median", "per-cpu-s"))
    for m, k, n, what in SHAPES:
        best, median, per_cpu = time_shape(m, n, k, a.runs, a.warmup)
        print("%-28s %6d %6d %6d %10.1f %10.1f %10.1f" % (what, m, k, n, best, median, per_cpu))


if __name__ == "__main__":
    main()
