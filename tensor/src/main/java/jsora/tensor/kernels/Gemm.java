package jsora.tensor.kernels;

import java.util.function.IntConsumer;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Matrix products. {@link #linear} is PyTorch's {@code F.linear}: {@code y = x·Wᵀ + b} with W stored [N, K] in
 * fp32, bf16 or fp16 (16-bit weights are converted to float32 only while a panel is packed). All of them run on
 * {@link GemmDriver}: packed, cache-blocked, register-tiled, multi-threaded and bit-identical for any thread count.
 */
public final class Gemm {
    private Gemm() {
    }

    /** y[M, N] = x[M, K] · W[N, K]ᵀ + bias[N]; x and y may have any leading shape (flattened to M rows). */
    public static void linear(Tensor x, WeightTensor w, Tensor bias, Tensor y) {
        int k = x.dim(-1);
        int n = w.dim(0);
        if (w.rank() != 2 || w.dim(1) != k) {
            throw new IllegalArgumentException("linear: x " + x + " does not match weight " + w);
        }
        int m = 1;
        for (int d = 0; d < x.rank() - 1; d++) {
            m *= x.dim(d);
        }
        if (y.dim(-1) != n || y.size() != m * n) {
            throw new IllegalArgumentException("linear: output " + y + " is not [" + m + ", " + n + "]");
        }
        if (bias != null && bias.size() != n) {
            throw new IllegalArgumentException("linear: bias " + bias + " is not [" + n + "]");
        }
        JitWarmUp.ensure();
        long t0 = System.nanoTime();
        GemmDriver.multiply(m, n, k, x.data(), x.offset(), k, GemmRhs.transposedWeight(w),
                bias == null ? null : bias.data(), bias == null ? 0 : bias.offset(), y.data(), y.offset(), n);
        KernelClock.add(KernelClock.Kernel.GEMM, 2L * m * n * k, t0);
    }

    /** Batched c[b, M, N] = a[b, M, K] · bt[b, N, K]ᵀ (the second operand given transposed, as attention has it). */
    public static void matmulTransB(Tensor a, Tensor bt, Tensor c) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = bt.dim(1);
        if (a.rank() != 3 || bt.rank() != 3 || c.rank() != 3 || bt.dim(0) != batch || bt.dim(2) != k
                || c.dim(0) != batch || c.dim(1) != m || c.dim(2) != n) {
            throw new IllegalArgumentException("matmulTransB: " + a + " x " + bt + "ᵀ -> " + c);
        }
        batched(batch, (long) m * n * k, i -> GemmDriver.multiply(m, n, k, a.data(), a.offset() + i * m * k,
                k, GemmRhs.transposed(bt.data(), bt.offset() + i * n * k, k), null, 0, c.data(),
                c.offset() + i * m * n, n));
    }

    /** Batched c[b, M, N] = a[b, M, K] · bm[b, K, N]. */
    public static void matmul(Tensor a, Tensor bm, Tensor c) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = bm.dim(2);
        if (a.rank() != 3 || bm.rank() != 3 || c.rank() != 3 || bm.dim(0) != batch || bm.dim(1) != k
                || c.dim(0) != batch || c.dim(1) != m || c.dim(2) != n) {
            throw new IllegalArgumentException("matmul: " + a + " x " + bm + " -> " + c);
        }
        batched(batch, (long) m * n * k, i -> GemmDriver.multiply(m, n, k, a.data(), a.offset() + i * m * k,
                k, GemmRhs.plain(bm.data(), bm.offset() + i * k * n, n), null, 0, c.data(), c.offset() + i * m * n,
                n));
    }

    /**
     * Runs the batch items in parallel when there are enough of them (each product then runs on one thread),
     * otherwise one after another with each product using all threads. Either way each item is computed alone.
     */
    private static void batched(int batch, long macsPerItem, IntConsumer item) {
        JitWarmUp.ensure();
        long t0 = System.nanoTime();
        if (batch >= Parallel.threads() || macsPerItem < (1L << 20)) {
            Parallel.forEach(batch, item);
        } else {
            for (int i = 0; i < batch; i++) {
                item.accept(i);
            }
        }
        KernelClock.add(KernelClock.Kernel.GEMM, 2 * macsPerItem * batch, t0);
    }
}
