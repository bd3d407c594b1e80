package jsora.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jsora.tensor.DType;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code y = x·Wᵀ} ({@link Gemm#linear}) on the Linear shapes of STDiT3-XL (M = 5120 tokens) and T5-XXL (M = 300).
 * Shapes are "MxNxK". GFLOP/s = 2·M·N·K / (ms per op · 10⁶). Run with
 * {@code java -jar bench/target/benchmarks.jar GemmBenchmark [-p shape=5120x3456x1152] [-p weights=BF16]
 * [-p threads=2]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GemmBenchmark {
    @Param({"5120x3456x1152", "5120x1152x1152", "5120x4608x1152", "5120x1152x4608", "300x4096x4096",
        "300x10240x4096", "300x4096x10240"})
    public String shape;

    @Param({"F32", "BF16"})
    public DType weights;

    /** Threads for the kernels; 0 = all cores. */
    @Param("0")
    public int threads;

    private Tensor x;
    private WeightTensor w;
    private Tensor y;

    @Setup
    public void setUp() {
        String[] d = shape.split("x");
        int m = Integer.parseInt(d[0]);
        int n = Integer.parseInt(d[1]);
        int k = Integer.parseInt(d[2]);
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
        Random rnd = new Random(42);
        x = Tensor.wrap(random(rnd, m * k), new int[] {m, k});
        w = WeightTensor.convert(Tensor.wrap(random(rnd, n * k), new int[] {n, k}), weights);
        y = Tensor.zeros(m, n);
    }

    @Benchmark
    public Tensor linear() {
        Gemm.linear(x, w, null, y);
        return y;
    }

    private static float[] random(Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }
}
