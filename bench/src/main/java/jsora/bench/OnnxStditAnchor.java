package jsora.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jsora.cli.bench.BenchStditCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ONNX Runtime as the same-run anchor of {@code jsora bench stdit}: times one STDiT3-XL/2 block pair exported from the
 * reference Open-Sora v1.2 module ({@code bench/scripts/export_stdit_pair_onnx.py}) with ONNX Runtime's Java API, then
 * runs {@code jsora bench stdit} ({@link BenchStditCommand}) at the same shapes in the same process, and prints both times per
 * pair and their ratio, TDTM off and (with {@code --tdtm-model}) on. {@code bench/scripts/onnx_anchor.sh} does it all.
 */
@Command(name = "onnx-stdit-anchor", mixinStandardHelpOptions = true,
        description = "Time an exported STDiT3 block pair with ONNX Runtime, then jsora's pair, in one process.")
public final class OnnxStditAnchor implements Callable<Integer> {
    private static final Pattern JSORA_MS = Pattern.compile("TDTM (off|on)\\s*:\\s*([0-9]+[.,]?[0-9]*) ms/pair");

    @Option(names = "--model", required = true, description = "The pair exported with TDTM off (.onnx).")
    Path model;
    @Option(names = "--tdtm-model", description = "The pair exported with --tdtm (.onnx; optional).")
    Path tdtmModel;
    @Option(names = "--threads", description = "Threads on both sides: ORT intra-op, jsora's pool (default ${DEFAULT-VALUE}).")
    int threads = 2;
    @Option(names = "--runs", description = "Timed runs per side and TDTM setting, best taken (default ${DEFAULT-VALUE}).")
    int runs = 3;
    @Option(names = "--ort-warmup", description = "ORT runs before timing (default ${DEFAULT-VALUE}).")
    int ortWarmup = 1;
    @Option(names = "--warmup", description = "jsora's warm-up, seconds (bench stdit --warmup; default ${DEFAULT-VALUE}).")
    double jsoraWarmup = 2;
    @Option(names = "--frames", description = "Latent frames T, as exported (default ${DEFAULT-VALUE}).")
    int frames = 20;
    @Option(names = "--height", description = "Latent height, as exported (default ${DEFAULT-VALUE}).")
    int height = 32;
    @Option(names = "--width", description = "Latent width, as exported (default ${DEFAULT-VALUE}).")
    int width = 32;
    /** Batch and caption tokens per sample: read from the exported model's inputs. */
    private int batch;
    private int text;

    private static final int HIDDEN = 1152;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OnnxStditAnchor()).execute(args));
    }

    @Override
    public Integer call() throws OrtException {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("run with java --add-modules jdk.incubator.vector (jsora's kernels need it)");
        }
        if (threads < 1 || runs < 1 || ortWarmup < 0) {
            throw new IllegalArgumentException("--threads and --runs must be positive, --ort-warmup not negative");
        }
        int tokens = frames * ((height + 1) / 2) * ((width + 1) / 2);
        Map<Boolean, Double> ort = new LinkedHashMap<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf("ONNX Runtime %s (Java API), intra-op threads %d, inter-op 1, sequential, all optimisations; "
                + "T=%d, %d tokens/sample%n", env.getVersion(), threads, frames, tokens);
        ort.put(false, timeOrt(env, model, tokens, false));
        if (tdtmModel != null) {
            ort.put(true, timeOrt(env, tdtmModel, tokens, true));
        }

        System.out.println("jsora bench stdit, same process:");
        StringWriter captured = new StringWriter();
        PrintWriter out = new PrintWriter(new Tee(new PrintWriter(System.out, true), captured), true);
        int rc = new CommandLine(new BenchStditCommand()).setOut(out).setErr(new PrintWriter(System.err, true)).execute(
                "--frames", "" + frames, "--height", "" + height, "--width", "" + width, "--batch", "" + batch,
                "--text", "" + text, "--threads", "" + threads, "--runs", "" + runs, "--warmup", "" + jsoraWarmup);
        out.flush();
        if (rc != 0) {
            return rc;
        }
        String report = captured.toString();
        System.out.printf("%nSTDiT3-XL/2 block pair, ms per pair (best of %d), same process, %d threads each:%n", runs,
                threads);
        System.out.printf("%-9s %10s %10s %10s%n", "", "jsora", "ORT", "jsora/ORT");
        for (boolean merge : new boolean[] {false, true}) {
            double j = jsoraMs(report, merge);
            Double o = ort.get(merge);
            System.out.printf("%-9s %10.1f %10s %10s%n", merge ? "TDTM on" : "TDTM off", j,
                    o == null ? "-" : String.format("%.1f", o), o == null ? "-" : String.format("%.2f", j / o));
        }
        return 0;
    }

    /** Loads one exported pair, checks its input shapes, and returns its best time in ms. */
    private double timeOrt(OrtEnvironment env, Path file, int tokens, boolean merge) throws OrtException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (bench/scripts/export_stdit_pair_onnx.py makes it)");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        double[] scales = {1.0, 0.5, 0.1}; // as bench stdit draws x, the caption and t_mlp
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            long t0 = System.nanoTime();
            try (OrtSession session = env.createSession(file.toString(), options)) {
                if (batch == 0) {
                    long[] x = shape(session, "x", file);
                    long[] y = shape(session, "y", file);
                    batch = Math.toIntExact(x[0]);
                    text = Math.toIntExact(y[1] / batch);
                }
                shapes.put("x", new long[] {batch, tokens, HIDDEN});
                shapes.put("y", new long[] {1, (long) batch * text, HIDDEN});
                shapes.put("t_mlp", new long[] {batch, 6 * HIDDEN});
                System.out.printf("TDTM %-3s: %s (B=%d, text=%d) loaded and optimised in %.1f s%n", merge ? "on" : "off",
                        file, batch, text, (System.nanoTime() - t0) / 1e9);
                SplittableRandom r = new SplittableRandom(42);
                Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
                List<OnnxTensor> created = new ArrayList<>();
                try {
                    int k = 0;
                    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                        long[] have = shape(session, e.getKey(), file);
                        if (!Arrays.equals(have, e.getValue())) {
                            throw new IllegalArgumentException(file + ": input " + e.getKey() + " is "
                                    + Arrays.toString(have) + ", expected " + Arrays.toString(e.getValue())
                                    + " (exported with other --frames/--height/--width,"
                                    + " or another batch or caption length than the first model)");
                        }
                        OnnxTensor t = OnnxTensor.createTensor(env, uniform(r, scales[k++], e.getValue()), e.getValue());
                        created.add(t);
                        inputs.put(e.getKey(), t);
                    }
                    for (int i = 0; i < ortWarmup; i++) {
                        session.run(inputs).close();
                    }
                    double best = Double.MAX_VALUE;
                    double meanAbs = 0;
                    for (int i = 0; i < runs; i++) {
                        long s = System.nanoTime();
                        try (OrtSession.Result result = session.run(inputs)) {
                            best = Math.min(best, (System.nanoTime() - s) / 1e6);
                            meanAbs = meanAbs(((OnnxTensor) result.get(0)).getFloatBuffer());
                        }
                    }
                    System.out.printf("TDTM %-3s: ORT %10.1f ms/pair (best of %d, after %d warm-up), out mean |x| %.4f%n",
                            merge ? "on" : "off", best, runs, ortWarmup, meanAbs);
                    return best;
                } finally {
                    for (OnnxTensor t : created) {
                        t.close();
                    }
                }
            }
        }
    }

    private static long[] shape(OrtSession session, String input, Path file) throws OrtException {
        NodeInfo info = session.getInputInfo().get(input);
        if (info == null || !(info.getInfo() instanceof TensorInfo)) {
            throw new IllegalArgumentException(file + " has no tensor input " + input + " (inputs: "
                    + session.getInputNames() + ")");
        }
        return ((TensorInfo) info.getInfo()).getShape();
    }

    private static FloatBuffer uniform(SplittableRandom r, double scale, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        FloatBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(n * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (long i = 0; i < n; i++) {
            b.put((float) r.nextDouble(-scale, scale));
        }
        return b.rewind();
    }

    private static double meanAbs(FloatBuffer b) {
        double s = 0;
        int n = b.remaining();
        for (int i = 0; i < n; i++) {
            float v = b.get(i);
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("ONNX Runtime's output holds " + v + " at " + i);
            }
            s += Math.abs(v);
        }
        return s / n;
    }

    /** The best ms per pair that {@code jsora bench stdit} printed for TDTM off or on. */
    static double jsoraMs(String report, boolean merge) {
        Matcher m = JSORA_MS.matcher(report);
        while (m.find()) {
            if (m.group(1).equals(merge ? "on" : "off")) {
                return Double.parseDouble(m.group(2).replace(',', '.')); // printf's decimal comma in some locales
            }
        }
        throw new IllegalStateException("no 'TDTM " + (merge ? "on" : "off") + ": ... ms/pair' line in bench stdit's "
                + "output");
    }

    /** Writes to two writers. */
    private static final class Tee extends Writer {
        private final Writer a;
        private final Writer b;

        Tee(Writer a, Writer b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            try {
                a.write(buf, off, len);
                b.write(buf, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            try {
                a.flush();
                b.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
