package jsora.models.pipeline;

import java.util.function.Consumer;
import jsora.models.sampler.Denoiser;
import jsora.models.sampler.LinearProportionalLeap;
import jsora.models.sampler.RectifiedFlow;
import jsora.models.sampler.SamplerStep;
import jsora.models.sampler.TorchNoise;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.KernelClock;

/**
 * Prompt to video, as Open-Sora 1.2's {@code scripts/inference.py} does it for one prompt: encode the text, draw the
 * initial noise {@code randn(1, 4, T, H/8, W/8)} from the seed, sample with the rectified flow (CFG against the null
 * caption; LPL and TDTM if asked), decode with the VAE, and quantize to 8-bit frames. Each network is opened for its
 * stage and closed after it.
 */
public final class Pipeline {
    private final Stages.Models models;

    public Pipeline(Stages.Models models) {
        this.models = models;
    }

    /** The result of {@link #run}. */
    public record Generation(Video video, GenerationReport report) {
    }

    /**
     * Runs a generation.
     *
     * @param progress told about every sampling step (may be null)
     */
    public Generation run(GenerationRequest req, Consumer<SamplerStep> progress) {
        GenerationReport report = new GenerationReport();
        boolean perStage = PeakMemory.reset();
        kernelsAtStart = KernelClock.totals();
        long[] start = now();
        Caption caption;
        try (Stages.TextEncoder text = models.textEncoder()) {
            caption = text.encode(req.prompt());
            text.streamingStats().ifPresent(s -> report.streaming("text", s));
        }
        start = endStage(report, "text", start, perStage);
        report.textNote = caption.note();

        int[] latent = LatentSize.of(req.size());
        // one generator, as torch's global one: z0, then the sampler's per-step randn_like draws
        TorchNoise noise = new TorchNoise(req.seed());
        Tensor z0 = noise.next(1, LatentSize.CHANNELS, latent[0], latent[1], latent[2]);
        RectifiedFlow sampler = new RectifiedFlow(req.sampler());
        LinearProportionalLeap lpl = req.lpl() == null ? null : req.lpl().newState();
        RectifiedFlow.Result sampled;
        try (Stages.VideoDenoiser dit = models.denoiser(req.size())) {
            Denoiser d = dit.bind(caption, req.size(), req.fps(), req.mergeSteps());
            long[][] last = {now()};
            sampled = sampler.sample(d, z0, noise, req.size(), lpl, step -> {
                long[] end = now();
                report.step((end[0] - last[0][0]) / 1_000_000, ProcessCpu.millisBetween(last[0][1], end[1]),
                        step.cosine(), req.mergeSteps() > step.index());
                last[0] = end;
                if (progress != null) {
                    progress.accept(step);
                }
            });
            dit.streamingStats().ifPresent(s -> report.streaming("denoise", s));
        }
        start = endStage(report, "denoise", start, perStage);
        report.steps = req.sampler().steps();
        report.modelCalls = sampled.modelCalls();
        report.leapStep = sampled.leapStep();
        report.timesteps = sampled.timesteps();

        Tensor pixels;
        try (Stages.VideoDecoder vae = models.decoder(req.size())) {
            pixels = vae.decode(sampled.z(), req.size().frames());
        }
        Video video = FrameQuantizer.toVideo(pixels, req.fps());
        endStage(report, "decode", start, perStage);
        return new Generation(video, report);
    }

    /** {wall nanoseconds, process CPU nanoseconds} now. */
    private static long[] now() {
        return new long[] {System.nanoTime(), ProcessCpu.nanos()};
    }

    /** The kernels' counts at the start of the current stage. */
    private KernelClock.Totals kernelsAtStart = KernelClock.totals();

    /**
     * Records the stage begun at {@code start} (its wall and CPU time, its peaks, its kernels' rates); returns the
     * next one's start.
     */
    private long[] endStage(GenerationReport report, String name, long[] start, boolean perStage) {
        long[] end = now();
        KernelClock.Totals kernels = KernelClock.totals();
        report.kernels(name, kernels.since(kernelsAtStart));
        kernelsAtStart = kernels;
        report.stage(name, (end[0] - start[0]) / 1_000_000);
        report.stageCpu(name, ProcessCpu.millisBetween(start[1], end[1]));
        report.stagePeak(name, perStage);
        return end;
    }
}
