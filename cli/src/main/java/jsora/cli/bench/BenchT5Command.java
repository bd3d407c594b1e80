package jsora.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jsora.cli.Checks;
import jsora.models.pipeline.PeakMemory;
import jsora.models.t5.RelativePositionBias;
import jsora.models.t5.Sequences;
import jsora.models.t5.StreamedBlocks;
import jsora.models.t5.T5Block;
import jsora.models.t5.T5Config;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Weights;
import jsora.tensor.DType;
import jsora.tensor.Int8;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.KernelClock;
import jsora.weights.Checkpoint;
import jsora.weights.Int8Weights;
import jsora.weights.MemoryBudget;
import jsora.weights.OutputType;
import jsora.weights.RandomCheckpoint;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jsora bench t5}: one full-size T5-XXL encoder block (d_model 4096, 64 heads of 64, d_ff 10240) with random
 * weights on one prompt of {@code --tokens} tokens. Compare with {@code bench/scripts/t5_block_torch.py}. With
 * {@code --checkpoint}, the whole encoder instead, its blocks streamed from the checkpoint.
 */
@Command(name = "t5", mixinStandardHelpOptions = true,
        description = {"Time one T5-XXL encoder block (random weights): seconds, GFLOPS, peak memory.",
            "With --checkpoint: the whole encoder, blocks streamed (random token ids)."})
public final class BenchT5Command implements Callable<Integer> {
    @Option(names = "--tokens", defaultValue = "300", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--dtype", defaultValue = "f32", description = "Weight storage: f32, bf16, f16 or int8 (the Linear weights, as jsora convert --dtype int8"
            + " writes them; default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", description = "Threads (default: all processors, or -Djsora.threads).")
    Integer threads;

    @Option(names = "--checkpoint", paramLabel = "FILE|DIR|HUB_ID",
            description = "Time the whole encoder from this checkpoint instead of one random block.")
    String checkpoint;

    @Option(names = "--write-random", paramLabel = "DIR",
            description = "Write random T5-XXL encoder weights (--dtype) to DIR/model.safetensors for --checkpoint.")
    Path writeRandom;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Weight budget when streaming --checkpoint, e.g. 2GB (default: half the heap).")
    String memory;

    @Override
    public Integer call() {
        if (tokens < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--tokens and --runs must be >= 1, --warmup >= 0");
        }
        Checks.threads(threads);
        DType type = parseDType(dtype);
        if (writeRandom != null) {
            return writeRandom(type);
        }
        if (checkpoint != null) {
            return wholeEncoder();
        }
        T5Config c = T5Config.xxl();
        PeakMemory.reset();
        T5Weights weights = type == DType.I8 ? int8(new RandomCheckpoint(c.parameterShapes(), DType.F32, 0, Map.of()))
                : T5Weights.of(new RandomCheckpoint(c.parameterShapes(), type, 0, Map.of()));
        T5Block block = T5Block.load(weights, c, 0);
        long weightBytes = blockBytes(c, type);
        RelativePositionBias positions = block.positionBias();
        Sequences seqs = Sequences.packed(new int[] {tokens}, positions);
        Tensor x = Tensor.zeros(tokens, c.dModel);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        double flops = blockFlops(c, tokens);
        System.out.printf(Locale.ROOT, "T5-XXL block: %d tokens, %s weights (%s), %d threads, %d-bit vectors, %s%n",
                tokens, type, PeakMemory.format(weightBytes), Parallel.threads(), Simd.bits(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (int i = 0; i < warmup; i++) {
            block.forward(x, seqs, (name, v) -> { });
        }
        double[] seconds = new double[runs];
        KernelClock.Totals before = KernelClock.totals();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            block.forward(x, seqs, (name, v) -> { });
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "run %d: %.3f s%n", i + 1, seconds[i]);
        }
        report(seconds, flops, "block");
        KernelClock.Totals work = KernelClock.totals().since(before);
        double kernelSeconds = 0;
        for (KernelClock.Kernel k : KernelClock.Kernel.values()) {
            if (work.flops(k) > 0) {
                kernelSeconds += work.seconds(k);
                System.out.printf(Locale.ROOT, "  %-9s %6.3f s per block: %6.1f GFLOPS%n",
                        k.name().toLowerCase(Locale.ROOT), work.seconds(k) / runs, work.gflops(k));
            }
        }
        System.out.printf(Locale.ROOT, "  %-9s %6.3f s per block (norms, activations, residuals, copies)%n", "rest",
                (Arrays.stream(seconds).sum() - kernelSeconds) / runs);
        // the block's largest product, [tokens, d_model] x [d_ff, d_model]^T, as the GEMM rate of this machine now
        double gemm = new GemmTimer(tokens, c.dFf, c.dModel, type).time(1, 0.5, 5).best();
        Arrays.sort(seconds);
        double bound = flops / gemm / 1e9;
        System.out.printf(Locale.ROOT, "GEMM probe [%d, %d] x [%d, %d]^T: %.1f GFLOPS (best of 5); GEMM-bound %.3f s, "
                + "median / GEMM-bound = %.2f%n", tokens, c.dModel, c.dFf, c.dModel, gemm, bound,
                seconds[seconds.length / 2] / bound);
        return 0;
    }

    /** Writes random T5-XXL encoder weights in the real layout (what save_pretrained writes), the config as metadata. */
    private int writeRandom(DType type) {
        T5Config c = T5Config.xxl();
        Path out = writeRandom.resolve("model.safetensors");
        try {
            Files.createDirectories(writeRandom);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean int8 = type == DType.I8;
        RandomCheckpoint random = new RandomCheckpoint(c.parameterShapes(), int8 ? DType.F32 : type, 0, c.toMetadata());
        long t0 = System.nanoTime();
        SafeTensorsWriter.write(out, random, List.copyOf(random.keys()),
                int8 ? OutputType.int8(Int8.BLOCK) : OutputType.floats(StorageType.of(type)), c.toMetadata());
        System.out.printf(Locale.ROOT, "wrote %s (%s, %s) in %.1f s%n", out, type,
                MemoryBudget.format(out.toFile().length()), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** The streamed encoder on one prompt of random ids ending in {@code </s>}; all positions real. */
    private int wholeEncoder() {
        long budget = memory == null ? MemoryBudget.fromHeap() : MemoryBudget.parse(memory);
        PeakMemory.reset();
        try (T5Encoder encoder = T5Encoder.open(checkpoint, budget)) {
            T5Config c = encoder.config();
            SplittableRandom r = new SplittableRandom(1);
            int[][] ids = new int[1][tokens];
            int[][] mask = new int[1][tokens];
            for (int i = 0; i < tokens; i++) {
                ids[0][i] = i == tokens - 1 ? 1 : 2 + r.nextInt(c.vocabSize - 2);
                mask[0][i] = 1;
            }
            System.out.printf(Locale.ROOT, "T5 encoder %s: %d tokens, weight budget %s, %d threads, %d-bit vectors%n",
                    c, tokens, MemoryBudget.format(budget), Parallel.threads(), Simd.bits());
            for (int i = 0; i < warmup; i++) {
                encoder.encode(ids, mask);
            }
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                encoder.encode(ids, mask);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "run %d: %.3f s%n", i + 1, seconds[i]);
            }
            report(seconds, c.numLayers * blockFlops(c, tokens), "encoder pass");
            System.out.println(((StreamedBlocks) encoder.blocks()).stats());
        }
        return 0;
    }

    private static void report(double[] seconds, double flops, String what) {
        Arrays.sort(seconds);
        double median = seconds[seconds.length / 2];
        System.out.printf(Locale.ROOT, "median %.3f s, best %.3f s; %.1f GFLOP per %s -> %.2f GFLOPS (median)%n",
                median, seconds[0], flops / 1e9, what, flops / median / 1e9);
        System.out.printf(Locale.ROOT, "peak heap %s, peak RSS %s%n", PeakMemory.format(PeakMemory.heapPeak()),
                PeakMemory.format(PeakMemory.bytes()));
    }

    /** Multiply-adds ×2 of the seven projections and of the two attention products (norms and softmax ignored). */
    static double blockFlops(T5Config c, int tokens) {
        double linear = 2.0 * tokens * ((double) c.dModel * c.innerDim() * 4 + (double) c.dModel * c.dFf * 3);
        double attention = 2.0 * 2 * c.numHeads * (double) tokens * tokens * c.dKv;
        return linear + attention;
    }

    /** The seven projections' bytes (an int8 block's scales included: K is a multiple of the block here). */
    private static long blockBytes(T5Config c, DType type) {
        long params = (long) c.dModel * c.innerDim() * 4 + (long) c.dModel * c.dFf * 3;
        return params * type.bytes() + (type == DType.I8 ? 4 * params / Int8.BLOCK : 0);
    }

    /** The weights of {@code c} with the Linear weights quantized as {@code jsora convert --dtype int8} does. */
    private static T5Weights int8(Checkpoint c) {
        return T5Weights.of(c, (key, w) -> Int8Weights.quantizes(key, c.info(key)) ? Int8.quantize(w.toTensor(),
                Int8.BLOCK) : w);
    }

    private static DType parseDType(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "f32":
            case "fp32":
                return DType.F32;
            case "bf16":
                return DType.BF16;
            case "f16":
            case "fp16":
                return DType.F16;
            case "int8":
                return DType.I8;
            default:
                throw new IllegalArgumentException("--dtype: '" + s + "' is not one of f32, bf16, f16, int8");
        }
    }
}
