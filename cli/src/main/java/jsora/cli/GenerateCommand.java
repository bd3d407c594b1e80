package jsora.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import jsora.cli.video.GifWriter;
import jsora.cli.video.H264Settings;
import jsora.cli.video.Mp4Writer;
import jsora.cli.video.PngFrames;
import jsora.cli.video.VideoWriter;
import jsora.models.pipeline.CheckpointModels;
import jsora.models.pipeline.GenerationReport;
import jsora.models.pipeline.GenerationRequest;
import jsora.models.pipeline.LatentSize;
import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.PeakMemory;
import jsora.models.pipeline.Pipeline;
import jsora.models.pipeline.PromptJson;
import jsora.models.pipeline.PromptPreparation;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.SamplerStep;
import jsora.models.sampler.RectifiedFlow;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.weights.AtomicFile;
import jsora.weights.MemoryBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jsora generate "prompt" ...}: one video from a text prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a video from a text prompt (Open-Sora 1.2, optionally with On-device Sora's LPL/TDTM).")
public class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT", description = "What the video shows.")
    String prompt;

    @Mixin
    VideoSizeOptions sizes;

    @Mixin
    Mp4Options mp4;

    @Option(names = "--list-presets", description = "Print the presets (sizes, latents, activations) and exit.")
    boolean listPresets;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "24", description = "Frames per second, 1 to 100; a GIF plays at most 50 (default ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30", description = "Sampling steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--cfg", paramLabel = "X", defaultValue = "7.0", description = "Classifier-free guidance scale (default ${DEFAULT-VALUE}).")
    float cfg;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the initial noise (default ${DEFAULT-VALUE}; torch.manual_seed + randn compatible).")
    long seed;

    @Option(names = "--timesteps", paramLabel = "KIND", description = "continuous (Open-Sora 1.2) or discrete (On-device Sora); default: discrete with --lpl, else continuous.")
    String timesteps;

    @Option(names = "--lpl", description = "Linear Proportional Leap: stop early once the velocity stops changing direction.")
    boolean lpl;

    @Option(names = "--lpl-min-steps", paramLabel = "N", defaultValue = "14", description = "LPL: first step whose similarity counts (default ${DEFAULT-VALUE}).")
    int lplMinSteps;

    @Option(names = "--lpl-patience", paramLabel = "N", defaultValue = "3", description = "LPL: steps without improvement before leaping (default ${DEFAULT-VALUE}).")
    int lplPatience;

    @Option(names = "--lpl-tolerance", paramLabel = "X", defaultValue = "0.001", description = "LPL: cosine gain that counts as improvement (default ${DEFAULT-VALUE}).")
    float lplTolerance;

    @Option(names = "--tdtm", paramLabel = "K", defaultValue = "0", description = "Temporal token merging in the first K steps (default ${DEFAULT-VALUE} = off).")
    int tdtm;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget of the whole process (peak resident set), e.g. 3.3G or 8G; sets the heap and "
            + "what stays resident, CI-DL streams the rest (default: the JVM's heap decides).")
    String memory;

    @Option(names = "--weight-budget", paramLabel = "SIZE", description = "Cap on the weights a stage keeps in "
            + "memory at once, e.g. 1G (default: what --memory or the heap leaves beside the activations).")
    String weightBudget;

    @Option(names = "--models", paramLabel = "DIR", description = "Folder with the model folders (else the Hugging Face cache); "
            + "'demo' = the built-in tiny model with random weights.")
    Path models;

    @Option(names = "--out", paramLabel = "PATH", defaultValue = "jsora.mp4", description = "Output: .mp4, .gif, or a folder for PNG frames (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print a JSON report on stdout.")
    boolean json;

    @Option(names = "--raw-prompt", description = "Use the prompt as typed (no split of Open-Sora's inline JSON options, no score suffix, no caption cleaning).")
    boolean rawPrompt;

    @Option(names = "--aes", paramLabel = "X", defaultValue = "6.5", description = "Aesthetic score appended to the prompt (default ${DEFAULT-VALUE}).")
    double aes;

    @Option(names = "--flow", paramLabel = "X", description = "Motion score appended to the prompt (default: none).")
    Double flow;

    @Option(names = "--camera-motion", paramLabel = "TEXT", description = "Camera motion appended to the prompt, e.g. \"pan right\" (default: none).")
    String cameraMotion;

    private final ModelSourceFactory sources;

    /** How {@code generate} turns {@code --models} into models; replaced in tests and by {@code demo}. */
    @FunctionalInterface
    public interface ModelSourceFactory {
        ModelSource locate(Path modelsDir);
    }

    public GenerateCommand() {
        this(GenerateCommand::checkpoints);
    }

    GenerateCommand(ModelSourceFactory sources) {
        this.sources = sources;
    }

    /**
     * The models {@code --models DIR} names (the Hugging Face cache for null; {@code demo} is the built-in tiny model),
     * also for {@code serve}.
     */
    public static ModelSource checkpoints(Path modelsDir) {
        if (modelsDir != null && modelsDir.toString().equals(DemoCommand.MODELS)) {
            return DemoCommand.source(null);
        }
        RequiredModels.Found found = new RequiredModels(modelsDir, System.getenv(),
                Paths.get(System.getProperty("user.home"))).locate();
        return plan -> new CheckpointModels(found.t5(), found.stdit3(), found.vae(), plan);
    }

    @Override
    public Integer call() throws IOException {
        if (listPresets) {
            PresetList.print(System.out);
            return 0;
        }
        GenerationRequest req = request();
        checkOutput(out, fps);
        H264Settings encoding = mp4.settings();
        long budget = memory == null ? 0 : MemoryBudget.parse(memory);
        Checks.physicalMemory("--memory", memory, budget);
        MemoryPlan plan = MemoryPlan.forThisJvm(budget);
        if (weightBudget != null) {
            plan = plan.withWeightCap(MemoryBudget.parse(weightBudget, "--weight-budget"));
        }
        Checks.threads(threads);
        return produce(req, sources.locate(models), plan, out, encoding, json);
    }

    /** A finished generation: the pipeline's report, and the time and peak memory of writing the video. */
    public record Produced(GenerationReport report, long writeMillis, long writePeak) {
        /** The report {@code --json} prints. */
        public JsonObject json(GenerationRequest req, Path out, MemoryPlan plan) {
            return GenerateCommand.report(req, report, out, writeMillis, writePeak, plan);
        }
    }

    /**
     * Runs the pipeline and writes the video to {@code out} (a temporary name, then renamed), telling
     * {@code progress} about every sampling step; prints nothing (shared with {@code serve}).
     */
    public static Produced make(GenerationRequest req, ModelSource source, MemoryPlan plan, Path out,
            H264Settings mp4, Consumer<SamplerStep> progress) throws IOException {
        checkSpace(out, req.size());
        Pipeline.Generation g = new Pipeline(source.open(plan)).run(req, progress);
        long w0 = System.nanoTime();
        VideoWriter.write(g.video(), out, mp4);
        return new Produced(g.report(), (System.nanoTime() - w0) / 1_000_000, PeakMemory.bytes());
    }

    /** Runs the pipeline, writes the video and reports (shared with {@code demo}). */
    static int produce(GenerationRequest req, ModelSource source, MemoryPlan plan, Path out, H264Settings mp4,
            boolean json) throws IOException {
        PrintStream err = System.err;
        PixelSize video = LatentSize.decoded(req.size());
        if (VideoWriter.formatOf(out) == VideoWriter.Format.MP4) {
            checkMp4(req, mp4);
        }
        if (!video.equals(req.size())) {
            err.println("note: " + req.size().width() + "x" + req.size().height() + " comes out as " + video.width()
                    + "x" + video.height() + " (the VAE decodes 8x8 pixels per latent pixel, as in Open-Sora 1.2)");
        }
        Produced made = make(req, source, plan, out, mp4, new ProgressBar(err, System::nanoTime));
        long writeMillis = made.writeMillis();
        long writePeak = made.writePeak();
        GenerationReport r = made.report();
        if (json) {
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(made.json(req, out, plan)));
        } else {
            StringBuilder times = new StringBuilder();
            for (Map.Entry<String, Long> e : r.stageMillis().entrySet()) {
                times.append(String.format(Locale.ROOT, "%s %.1f s, ", e.getKey(), e.getValue() / 1000.0));
            }
            times.append(String.format(Locale.ROOT, "write %.1f s", writeMillis / 1000.0));
            if (r.textNote() != null) {
                err.println("note: " + r.textNote());
            }
            err.println("times: " + times);
            err.println("model calls: " + r.modelCalls() + " of " + r.steps() + " steps"
                    + (r.leapStep() >= 0 ? ", LPL leapt at step " + r.leapStep() : ""));
            r.streaming().forEach((stage, st) -> err.println("CI-DL " + stage + ": " + st));
            err.println("kernel rates: " + KernelRates.line(r.kernels()));
            err.println("peak memory (resident set): " + peaks(r, writePeak) + (plan.process() > 0 ? "; budget "
                    + PeakMemory.format(plan.process()) : ""));
            System.out.println(out);
        }
        return 0;
    }

    /** "text 2.10 GB (heap 1.80 GB), denoise ..., write 3.05 GB", or the overall peak alone. */
    private static String peaks(GenerationReport r, long writePeak) {
        StringBuilder b = new StringBuilder();
        r.stageMemory().forEach((k, m) -> b.append(k).append(' ').append(PeakMemory.format(m.peakRss()))
                .append(" (heap ").append(PeakMemory.format(m.peakHeap())).append("), "));
        return b.append("write ").append(PeakMemory.format(writePeak)).append("; overall ")
                .append(PeakMemory.format(Math.max(r.peakRssBytes(), writePeak))).toString();
    }

    /** What {@code generate ARGS} asks for: the generation, and how its MP4 is encoded. */
    public record Asked(GenerationRequest generation, H264Settings mp4) {
    }

    /**
     * What {@code generate ARGS} asks for, checked as {@code generate} checks it (for {@code serve}, whose form
     * fields are generate's options); a bad argument fails with picocli's or generate's message naming it.
     */
    public static Asked parse(String... args) {
        GenerateCommand g = new GenerateCommand();
        new picocli.CommandLine(g).parseArgs(args);
        return new Asked(g.request(), g.mp4.settings());
    }

    /** Fails before any model work if the MP4 of this request would exceed every H.264 level (with --lossless). */
    public static void checkMp4(GenerationRequest req, H264Settings mp4) {
        PixelSize video = LatentSize.decoded(req.size());
        Mp4Writer.checkLevel(video.width(), video.height(), video.frames(), req.fps(), mp4);
    }

    GenerationRequest request() {
        if (prompt == null) {
            throw new IllegalArgumentException("missing PROMPT: generate \"what the video shows\" [options]");
        }
        PixelSize size = sizes.resolve();
        boolean discrete;
        if (timesteps == null) {
            discrete = lpl;
        } else if (timesteps.equals("discrete") || timesteps.equals("continuous")) {
            discrete = timesteps.equals("discrete");
        } else {
            throw new IllegalArgumentException("--timesteps " + timesteps + ": use discrete or continuous");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        RectifiedFlow.Config sampler = RectifiedFlow.Config.openSora12().withSteps(steps).withCfgScale(cfg)
                .withDiscrete(discrete);
        GenerationRequest.LplSettings lplSettings = lpl
                ? new GenerationRequest.LplSettings(lplMinSteps, lplPatience, lplTolerance) : null;
        Checks.within("--fps", fps, 1, GenerationRequest.MAX_FPS);
        PromptPreparation prep = rawPrompt ? PromptPreparation.raw()
                : new PromptPreparation(Checks.finite("--aes", aes), flow == null ? null : Checks.finite("--flow", flow),
                        cameraMotion, true);
        String typed = rawPrompt ? prompt : PromptJson.textBefore(prompt);
        prep.checkNotEmpty(typed);
        return new GenerationRequest(prep.prepare(typed), size, fps, sampler, lplSettings, tdtm, seed);
    }

    /** Fails early (before any model work) if the output cannot be written. */
    static void checkOutput(Path out, int fps) {
        if (out.toString().isEmpty()) {
            throw new IllegalArgumentException("--out is empty: name a .mp4 or .gif file, or a folder for PNG frames");
        }
        VideoWriter.Format format = VideoWriter.formatOf(out);
        if (format == VideoWriter.Format.GIF) {
            checkGifFps(fps);
        }
        Path target = out.toAbsolutePath();
        if (format == VideoWriter.Format.PNG_FRAMES) {
            try {
                PngFrames.checkReplaceable(out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--out " + e.getMessage(), e);
            }
        } else {
            try {
                AtomicFile.checkTarget(target);
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + out + ": " + UserErrors.describe(e));
            }
        }
        Path dir = format == VideoWriter.Format.PNG_FRAMES ? nearestExisting(target.getParent())
                : target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + target.getParent() + " does not exist");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".jsora-probe", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot write in " + dir);
        }
    }

    /** A GIF's delays are in 1/100 s: it plays at most {@value GifWriter#MAX_FPS} frames per second. */
    public static void checkGifFps(int fps) {
        if (fps > GifWriter.MAX_FPS) {
            throw new IllegalArgumentException("--fps " + fps + ": a GIF plays at most " + GifWriter.MAX_FPS
                    + " frames per second (its delays are in 1/100 s); use --fps " + GifWriter.MAX_FPS
                    + " or less, or a .mp4");
        }
    }

    /** Fails before any model work if the output's file system lacks the room the video may take. */
    static void checkSpace(Path out, PixelSize size) throws IOException {
        long need = VideoWriter.maxBytes(VideoWriter.formatOf(out), size.width(), size.height(), size.frames());
        Path dir = nearestExisting(out.toAbsolutePath().getParent());
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < need) {
            throw new IllegalArgumentException("--out " + out + ": the video may take " + MemoryBudget.format(need)
                    + ", " + dir + " has " + MemoryBudget.format(free) + " free");
        }
    }

    /** {@code p} or its nearest ancestor that exists (the root at worst). */
    static Path nearestExisting(Path p) {
        Path q = p;
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q;
    }

    private static JsonObject report(GenerationRequest req, GenerationReport r, Path out, long writeMillis,
            long writePeak, MemoryPlan plan) {
        JsonObject o = new JsonObject();
        o.addProperty("output", out.toString());
        o.addProperty("prompt", req.prompt());
        o.addProperty("width", req.size().width());
        o.addProperty("height", req.size().height());
        PixelSize video = LatentSize.decoded(req.size());
        o.addProperty("video_width", video.width());
        o.addProperty("video_height", video.height());
        o.addProperty("frames", req.size().frames());
        o.addProperty("fps", req.fps());
        o.addProperty("seed", req.seed());
        o.addProperty("steps", r.steps());
        o.addProperty("model_calls", r.modelCalls());
        o.addProperty("leap_step", r.leapStep() >= 0 ? r.leapStep() : null);
        o.addProperty("text_note", r.textNote());
        o.addProperty("cfg_scale", req.sampler().cfgScale());
        o.addProperty("discrete_timesteps", req.sampler().discrete());
        o.addProperty("tdtm_merge_steps", req.mergeSteps());
        o.addProperty("threads", Parallel.threads());
        o.addProperty("vector_bits", Simd.bits());
        o.addProperty("environment", RunEnvironment.describe());
        JsonArray ts = new JsonArray();
        for (float t : r.timesteps()) {
            ts.add(t);
        }
        o.add("timesteps", ts);
        JsonArray steps = new JsonArray();
        for (GenerationReport.Step st : r.stepLog()) {
            JsonObject j = new JsonObject();
            j.addProperty("seconds", st.millis() / 1000.0);
            j.addProperty("cpu_seconds", st.cpuMillis() >= 0 ? st.cpuMillis() / 1000.0 : null);
            j.addProperty("tdtm", st.merged());
            j.addProperty("lpl_cosine", Float.isNaN(st.cosine()) ? null : st.cosine());
            steps.add(j);
        }
        o.add("steps_log", steps);
        JsonObject times = new JsonObject();
        r.stageMillis().forEach((k, v) -> times.addProperty(k, v / 1000.0));
        times.addProperty("write", writeMillis / 1000.0);
        o.add("seconds", times);
        JsonObject cpu = new JsonObject();
        r.stageCpuMillis().forEach((k, v) -> cpu.addProperty(k, v >= 0 ? v / 1000.0 : null));
        o.add("cpu_seconds", cpu);
        o.addProperty("peak_rss_bytes", r.peakRssBytes() > 0 ? Math.max(r.peakRssBytes(), writePeak) : null);
        JsonObject peaks = new JsonObject();
        JsonObject heaps = new JsonObject();
        r.stageMemory().forEach((k, m) -> {
            peaks.addProperty(k, m.peakRss() >= 0 ? m.peakRss() : null);
            heaps.addProperty(k, m.peakHeap());
        });
        peaks.addProperty("write", writePeak);
        o.add("peak_rss_bytes_by_stage", peaks);
        o.add("peak_heap_bytes_by_stage", heaps);
        JsonObject streaming = new JsonObject();
        r.streaming().forEach((stage, st) -> {
            JsonObject j = new JsonObject();
            j.addProperty("bytes_loaded", st.bytesLoaded);
            j.addProperty("loads", st.loads);
            j.addProperty("load_seconds", st.loadNanos / 1e9);
            j.addProperty("stall_seconds", st.stallNanos / 1e9);
            j.addProperty("stalls", st.stalls);
            j.addProperty("peak_resident_bytes", st.peakResidentBytes);
            j.addProperty("resident_groups", st.residentGroups);
            streaming.add(stage, j);
        });
        o.add("weight_streaming", streaming);
        o.add("kernels", KernelRates.json(r.kernels()));
        o.addProperty("memory_budget_bytes", plan.process() > 0 ? plan.process() : null);
        o.addProperty("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return o;
    }
}
