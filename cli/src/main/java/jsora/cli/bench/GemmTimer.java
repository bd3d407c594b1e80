package jsora.cli.bench;

import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Int8;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Gemm;

/** {@code y = x·Wᵀ} ({@link Gemm#linear}) for one shape on random inputs; 2·M·N·K flops per product. */
final class GemmTimer {
    private final double flops;
    private final Tensor x;
    private final WeightTensor w;
    private final Tensor y;

    GemmTimer(int m, int n, int k, DType weights) {
        this(m, n, k, weights, Int8.BLOCK);
    }

    /** {@code int8Block}: elements per scale when {@code weights} is I8 ({@link Int8#quantize}). */
    GemmTimer(int m, int n, int k, DType weights, int int8Block) {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("M, N and K must be at least 1, got " + m + " " + n + " " + k);
        }
        if ((long) m * k > Integer.MAX_VALUE || (long) n * k > Integer.MAX_VALUE || (long) m * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + m + "x" + n + "x" + k + " is too large for one array");
        }
        flops = 2.0 * m * n * k;
        Random rnd = new Random(42);
        x = Tensor.wrap(Timer.random(rnd, m * k), new int[] {m, k});
        Tensor wf = Tensor.wrap(Timer.random(rnd, n * k), new int[] {n, k});
        w = weights == DType.I8 ? Int8.quantize(wf, int8Block) : WeightTensor.convert(wf, weights);
        y = Tensor.zeros(m, n);
    }

    Timer.Result time(int warmups, double warmupSeconds, int runs) {
        return Timer.time(() -> Gemm.linear(x, w, null, y), flops, warmups, warmupSeconds, runs);
    }
}
