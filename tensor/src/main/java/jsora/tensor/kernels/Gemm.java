package jsora.tensor.kernels;

import jdk.incubator.vector.VectorSpecies;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Matrix products. {@link #linear} is PyTorch's {@code F.linear}: {@code y = x·Wᵀ + b} with W stored [N, K] in
 * fp32, bf16 or fp16.
 */
public final class Gemm {
    private Gemm() {
    }

    /** y[M, N] = x[M, K] · W[N, K]ᵀ + bias[N]; x and y may have any leading shape (flattened to M rows). */
    public static void linear(Tensor x, WeightTensor w, Tensor bias, Tensor y) {
        linear(Simd.species(), x, w, bias, y);
    }

    public static void linear(VectorSpecies<Float> species, Tensor x, WeightTensor w, Tensor bias, Tensor y) {
        int k = x.dim(-1);
        int n = w.dim(0);
        if (w.rank() != 2 || w.dim(1) != k) {
            throw new IllegalArgumentException("linear: x " + x + " does not match weight " + w);
        }
        int m = x.size() / Math.max(1, k);
        if (y.dim(-1) != n || y.size() != m * n) {
            throw new IllegalArgumentException("linear: output " + y + " is not [" + m + ", " + n + "]");
        }
        float[] xa = x.data();
        float[] ya = y.data();
        int xo = x.offset();
        int yo = y.offset();
        Parallel.forRange(n, 16, (from, to) -> {
            float[] row = new float[k];
            for (int j = from; j < to; j++) {
                w.toFloat(j * k, row, 0, k);
                float b = bias == null ? 0f : bias.data()[bias.offset() + j];
                for (int i = 0; i < m; i++) {
                    float s = 0f;
                    int xi = xo + i * k;
                    for (int p = 0; p < k; p++) {
                        s += xa[xi + p] * row[p];
                    }
                    ya[yo + i * n + j] = s + b;
                }
            }
        });
    }

    /** Batched c[b, M, N] = a[b, M, K] · bt[b, N, K]ᵀ (the second operand given transposed, as attention has it). */
    public static void matmulTransB(Tensor a, Tensor bt, Tensor c) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = bt.dim(1);
        if (bt.dim(0) != batch || bt.dim(2) != k || c.dim(0) != batch || c.dim(1) != m || c.dim(2) != n) {
            throw new IllegalArgumentException("matmulTransB: " + a + " x " + bt + "ᵀ -> " + c);
        }
        float[] aa = a.data();
        float[] ba = bt.data();
        float[] ca = c.data();
        Parallel.forEach(batch * m, r -> {
            int b = r / m;
            int i = r % m;
            int ai = a.offset() + (b * m + i) * k;
            for (int j = 0; j < n; j++) {
                int bj = bt.offset() + (b * n + j) * k;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += aa[ai + p] * ba[bj + p];
                }
                ca[c.offset() + (b * m + i) * n + j] = s;
            }
        });
    }

    /** Batched c[b, M, N] = a[b, M, K] · bm[b, K, N]. */
    public static void matmul(Tensor a, Tensor bm, Tensor c) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = bm.dim(2);
        if (bm.dim(0) != batch || bm.dim(1) != k || c.dim(0) != batch || c.dim(1) != m || c.dim(2) != n) {
            throw new IllegalArgumentException("matmul: " + a + " x " + bm + " -> " + c);
        }
        float[] aa = a.data();
        float[] ba = bm.data();
        float[] ca = c.data();
        Parallel.forEach(batch * m, r -> {
            int b = r / m;
            int i = r % m;
            int co = c.offset() + (b * m + i) * n;
            java.util.Arrays.fill(ca, co, co + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = aa[a.offset() + (b * m + i) * k + p];
                int bo = bm.offset() + (b * k + p) * n;
                for (int j = 0; j < n; j++) {
                    ca[co + j] += av * ba[bo + j];
                }
            }
        });
    }
}
