package jsora.tensor.kernels;

/**
 * Plain products in double precision, the yardstick for {@link Gemm}. Alongside each result it keeps
 * Σ|a·b| per element, the scale a float32 summation error is measured against.
 */
final class GemmReference {
    /** Exact-ish values (double accumulation) and, per element, the sum of absolute products. */
    static final class Result {
        final double[] value;
        final double[] absSum;

        Result(int size) {
            value = new double[size];
            absSum = new double[size];
        }
    }

    private GemmReference() {
    }

    /**
     * r[i, j] = Σ_p a[aOff + i·K + p] · b(p, j) + bias[j], where b(p, j) = bt[btOff + j·K + p] when
     * {@code transposed}, else bt[btOff + p·N + j].
     */
    static Result multiply(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, boolean transposed,
                           float[] bias) {
        Result r = new Result(m * n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[j];
                double abs = bias == null ? 0 : Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    double x = a[aOff + i * k + p];
                    double y = transposed ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += x * y;
                    abs += Math.abs(x * y);
                }
                r.value[i * n + j] = s;
                r.absSum[i * n + j] = abs;
            }
        }
        return r;
    }
}
