package jsora.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Gemm;

/**
 * Times {@code y = x·Wᵀ} ({@link Gemm#linear}) for one shape: random inputs, warm-up runs until the JIT has settled,
 * then timed runs. GFLOP/s counts 2·M·N·K floating-point operations per product.
 */
final class GemmTimer {
    /**
     * The outcome of timing one shape: GFLOP/s of every timed run, by wall clock and per CPU-second of the process
     * (the second is per core and hardly moved by other processes on a shared machine).
     */
    static final class Result {
        final double[] gflops;
        final double[] gflopsPerCpu;

        Result(double[] gflops, double[] gflopsPerCpu) {
            this.gflops = gflops;
            this.gflopsPerCpu = gflopsPerCpu;
        }

        double bestPerCpu() {
            return Arrays.stream(gflopsPerCpu).max().orElse(0);
        }

        double best() {
            return Arrays.stream(gflops).max().orElse(0);
        }

        double median() {
            double[] s = gflops.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    private final int m;
    private final int n;
    private final int k;
    private final Tensor x;
    private final WeightTensor w;
    private final Tensor y;

    GemmTimer(int m, int n, int k, DType weights) {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("M, N and K must be at least 1, got " + m + " " + n + " " + k);
        }
        if ((long) m * k > Integer.MAX_VALUE || (long) n * k > Integer.MAX_VALUE || (long) m * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + m + "x" + n + "x" + k + " is too large for one array");
        }
        this.m = m;
        this.n = n;
        this.k = k;
        Random rnd = new Random(42);
        x = Tensor.wrap(random(rnd, m * k), new int[] {m, k});
        w = WeightTensor.convert(Tensor.wrap(random(rnd, n * k), new int[] {n, k}), weights);
        y = Tensor.zeros(m, n);
    }

    /** Runs at least {@code warmups} untimed products and for at least {@code warmupSeconds}, then {@code runs}. */
    Result time(int warmups, double warmupSeconds, int runs) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmups || System.nanoTime() < until; i++) {
            Gemm.linear(x, w, null, y);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] g = new double[runs];
        double[] perCpu = new double[runs];
        for (int r = 0; r < runs; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Gemm.linear(x, w, null, y);
            long dt = System.nanoTime() - t0;
            long dc = os.getProcessCpuTime() - c0;
            g[r] = 2.0 * m * n * k / dt;
            perCpu[r] = 2.0 * m * n * k / Math.max(1, dc);
        }
        return new Result(g, perCpu);
    }

    private static float[] random(Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }
}
