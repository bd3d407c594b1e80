package jsora.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jsora.cli.Checks;
import jsora.models.pipeline.PeakMemory;
import jsora.models.vae.Params;
import jsora.models.vae.ParamsOpener;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.tensor.DType;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.KernelClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsora bench vae}: decodes random latents [4, T', h, w] with the Open-Sora VAE v1.2 decoders (temporal VAE in
 * 5-latent-frame chunks, then the SDXL image VAE per frame) built from random weights in the real shapes, and reports
 * the time of each phase and the peak memory. With {@code --torch SCRIPT} it then runs the PyTorch baseline on the
 * same shapes and prints the ratio.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Time and peak memory of the Open-Sora VAE v1.2 decode (random weights, real shapes).")
public final class BenchVaeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--latent-frames", description = "latent frames T' (default ${DEFAULT-VALUE}: 68 video frames)")
    int latentFrames = 20;

    @Option(names = "--frames", description = "video frames to decode (default: the most the latent frames give, "
            + "68 for 20); fewer, e.g. 1 with --latent-frames 1, time one frame")
    Integer framesOption;

    @Option(names = "--size", description = "latent height and width (default ${DEFAULT-VALUE}: 256x256 video)")
    int size = 32;

    @Option(names = "--micro-batch", description = "frames per spatial decoder call (default ${DEFAULT-VALUE})")
    int microBatch = 1;

    @Option(names = "--weights", paramLabel = "f32|bf16|f16", defaultValue = "f32",
            description = "Storage type of the weights (default f32).")
    WeightType weights;

    @Option(names = "--resident", description = "keep both decoders in memory (default: stream the weights, each "
            + "layer built just before it runs and let go after, as a phone would run it)")
    boolean resident;

    @Option(names = "--temporal-only", description = "stop after the temporal decode (its time and memory)")
    boolean temporalOnly;

    @Option(names = "--threads", description = "compute threads (default: all processors)")
    Integer threads;

    @Option(names = "--torch", description = "PyTorch baseline script to run on the same shapes afterwards "
            + "(bench/scripts/vae_decode_torch.py)")
    Path torchScript;

    @Option(names = "--python", description = "Python with torch for --torch (default ${DEFAULT-VALUE})")
    String python = "/usr/bin/python3";

    /** M, N, K of the GEMM rate probe: 1024 positions × (512 channels × 3×3 taps) → 512 channels. */
    private static final int[] GEMM_PROBE = {1024, 512, 4608};

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        DType dtype = weights.dtype;
        if (dtype == DType.I8) {
            throw new IllegalArgumentException("--weights int8: the VAE's weights are convolution kernels, which are"
                    + " not quantized; use f32, bf16 or f16");
        }
        if (latentFrames < 1 || size < 1) {
            throw new IllegalArgumentException("--latent-frames and --size must be >= 1");
        }
        Checks.threads(threads);
        VaeConfig config = VaeConfig.openSoraV12().withMicroBatchSize(microBatch);
        int frames = framesOption != null ? framesOption : framesFor(config, latentFrames);
        if (config.latentFrames(frames) != latentFrames) {
            throw new IllegalArgumentException("--frames " + frames + " needs " + config.latentFrames(frames)
                    + " latent frames, not " + latentFrames);
        }
        AtomicLong params = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong creating = new AtomicLong();
        Params.Store random = Params.randomStore(1, dtype);
        Params weights = Params.of((key, shape) -> {
            long t = System.nanoTime();
            WeightTensor w = random.get(key, shape);
            params.addAndGet(w.size());
            bytes.addAndGet(w.bytes());
            creating.addAndGet(System.nanoTime() - t);
            return w;
        });
        VideoAutoencoderPipeline vae = new VideoAutoencoderPipeline(ParamsOpener.of(weights), config,
                VideoAutoencoderPipeline.Parts.DECODER, resident);
        Tensor z = Tensor.zeros(1, 4, latentFrames, size, size);
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < z.size(); i++) {
            z.data()[i] = (float) r.nextGaussian();
        }
        out.printf(Locale.ROOT, "jsora VAE decode: %d threads, latents [4, %d, %d, %d] -> %d frames of %dx%d, "
                + "micro batch %d, weights %s, %s%n", Parallel.threads(), latentFrames, size, size, frames, 8 * size,
                8 * size, microBatch, dtype, resident ? "resident" : "weights streamed layer by layer");
        double gemm = new GemmTimer(GEMM_PROBE[0], GEMM_PROBE[1], GEMM_PROBE[2], dtype).time(1, 0.5, 5).best();
        out.printf(Locale.ROOT, "GEMM probe [%d, %d] x [%d, %d]^T (a 3x3 convolution of 512 channels): %.1f GFLOPS "
                + "(best of 5)%n", GEMM_PROBE[0], GEMM_PROBE[2], GEMM_PROBE[1], GEMM_PROBE[2], gemm);
        KernelClock.Totals before = KernelClock.totals();
        PeakMemory.reset();
        long t1 = System.nanoTime();
        long c1 = creating.get();
        Tensor xz = vae.decodeTemporal(z, frames);
        double temporal = seconds(t1) - (creating.get() - c1) / 1e9;
        out.printf(Locale.ROOT, "temporal decode %.2f s, output %s; %s%n", temporal, xz,
                memory());
        if (temporalOnly) {
            out.flush();
            return;
        }
        long t2 = System.nanoTime();
        long c2 = creating.get();
        Tensor video = vae.decodeSpatial(xz);
        double spatial = seconds(t2) - (creating.get() - c2) / 1e9;
        double total = temporal + spatial;
        out.printf(Locale.ROOT, "spatial decode %.2f s, total %.2f s (not counting %.1f s creating random "
                + "weights), output %s; %s%n", spatial, total, creating.get() / 1e9, video, memory());
        out.printf(Locale.ROOT, "decoder weights: %.1f M parameters, %.0f MB as %s%n", params.get() / 1e6,
                bytes.get() / 1048576.0, dtype);
        KernelClock.Totals work = KernelClock.totals().since(before);
        double flops = 0;
        for (KernelClock.Kernel k : KernelClock.Kernel.values()) {
            flops += work.flops(k);
            out.printf(Locale.ROOT, "  %-9s %9.1f GFLOP in %7.2f s: %6.1f GFLOPS%n", k.name().toLowerCase(Locale.ROOT),
                    work.flops(k) / 1e9, work.seconds(k), work.gflops(k));
        }
        double bound = flops / gemm / 1e9;
        out.printf(Locale.ROOT, "GEMM-bound: %.1f GFLOP at the probe's rate = %.2f s; measured %.2f s (ratio %.2f)%n",
                flops / 1e9, bound, total, total / bound);
        if (torchScript != null) {
            out.flush();
            double[] torch = runTorch(frames, out);
            out.printf(Locale.ROOT, "jsora / PyTorch = %.2f (PyTorch %.2f s); jsora / GEMM-bound = %.2f "
                    + "(%.1f GFLOP at the sgemm rate: %.2f s; jsora %.1f GFLOPS)%n", total / torch[0], torch[0],
                    total / torch[2], torch[1], torch[2], torch[1] / total);
        }
        out.flush();
    }

    /** The largest frame count whose latent size is {@code latent} (68 for 20). */
    static int framesFor(VaeConfig config, int latent) {
        int frames = 1;
        while (config.latentFrames(frames + 1) <= latent) {
            frames++;
        }
        if (config.latentFrames(frames) != latent) {
            throw new IllegalArgumentException("no frame count gives " + latent + " latent frames");
        }
        return frames;
    }

    /** Runs the baseline; returns {PyTorch seconds, GFLOP of the decode, GEMM-bound seconds}. */
    private double[] runTorch(int frames, PrintWriter out) {
        List<String> cmd = new ArrayList<>(List.of(python, torchScript.toString(), "--latent-frames",
                Integer.toString(latentFrames), "--frames", Integer.toString(frames), "--size", Integer.toString(size), "--micro-batch",
                Integer.toString(microBatch), "--threads", Integer.toString(Parallel.threads())));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            double total = Double.NaN;
            double gflop = Double.NaN;
            double bound = Double.NaN;
            Pattern pattern = Pattern.compile("total ([0-9.]+) s");
            Pattern flops = Pattern.compile("decode ([0-9.]+) GFLOP.*GEMM-bound time ([0-9.]+) s");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println("  " + line);
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        total = Double.parseDouble(m.group(1));
                    }
                    Matcher f = flops.matcher(line);
                    if (f.find()) {
                        gflop = Double.parseDouble(f.group(1));
                        bound = Double.parseDouble(f.group(2));
                    }
                }
            }
            if (p.waitFor() != 0 || Double.isNaN(total) || Double.isNaN(bound)) {
                throw new IllegalStateException("the PyTorch baseline " + torchScript + " failed (exit "
                        + p.exitValue() + ")");
            }
            return new double[] {total, gflop, bound};
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String memory() {
        long rss = PeakMemory.bytes();
        return String.format(Locale.ROOT, "peak RSS %s, heap pools' peaks sum %.0f MB (max heap %d MB)",
                rss < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", rss / 1048576.0),
                PeakMemory.heapPeak() / 1048576.0, Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
