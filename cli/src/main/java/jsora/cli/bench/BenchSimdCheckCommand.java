package jsora.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jsora.cli.RunEnvironment;
import jsora.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jsora bench simd-check}: proves that every hot kernel runs as compiled SIMD code on this machine. Each
 * kernel is timed against {@link ScalarKernels} on one thread; a Vector API operation the JIT cannot compile for
 * this CPU (on AArch64 with JDK 17, for instance) falls back to per-lane Java and makes its kernel 10–100× slower
 * than the scalar loop, so a kernel whose speed-up is below {@code --min-factor} (default
 * {@link SimdProbes#MIN_FACTOR}) fails the check (exit 1).
 * Under emulation the factors show that SIMD code is compiled, not what a real device gains. A partial fallback
 * may not show in the timing; {@code .ci/jit-check} runs this command with the JIT's intrinsic log and names the
 * kernel of every Vector API call left uncompiled.
 */
@Command(name = "simd-check", mixinStandardHelpOptions = true,
        description = "Check that each hot kernel beats plain scalar Java by a stated factor (exit 1 if not).")
public final class BenchSimdCheckCommand implements Callable<Integer> {
    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "1",
            description = "Warm-up per kernel and side lasts until the JIT has finished no compilation for this "
                    + "long (default 1 s; more under emulation).")
    double warmupSeconds;

    @Option(names = "--warmup-calls", paramLabel = "N", defaultValue = "200",
            description = "Least calls per kernel and side before timing (default 200), so that C2 has compiled it.")
    int warmupCalls;

    @Option(names = "--max-warmup", paramLabel = "SECONDS", defaultValue = "20",
            description = "Most warm-up per kernel and side (default 20 s).")
    double maxWarmupSeconds;

    @Option(names = "--slice", paramLabel = "SECONDS", defaultValue = "0.1",
            description = "Length of one timed slice (default 0.1 s; longer under emulation).")
    double sliceSeconds;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Timed slices per side; the best counts (default 3).")
    int runs;

    @Option(names = "--min-factor", paramLabel = "X", defaultValue = "" + SimdProbes.MIN_FACTOR,
            description = "Least speed-up over scalar Java each kernel must show (default ${DEFAULT-VALUE}; lower "
                    + "under emulation, where .ci/jit-check gives the sharp signal).")
    double minFactor;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Check only these kernels (names as printed).")
    List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1 || !(minFactor > 0) || !(warmupSeconds >= 0) || !(maxWarmupSeconds >= warmupSeconds)
                || !(sliceSeconds > 0)) {
            throw new IllegalArgumentException(
                    "need --runs >= 1, --min-factor > 0, --slice > 0 and 0 <= --warmup <= --max-warmup");
        }
        PrintWriter out = spec.commandLine().getOut();
        int threads = Parallel.threads();
        Parallel.setThreads(1);
        try {
            out.println(RunEnvironment.describe() + " (kernels timed on 1 thread)");
            out.flush();
            List<SimdProbes.Probe> probes = selected();
            CallTimer timer = new CallTimer(warmupSeconds, warmupCalls, maxWarmupSeconds, sliceSeconds, runs);
            List<String> failed = new ArrayList<>();
            for (SimdProbes.Probe p : probes) {
                double simd = timer.bestMillis(p.simd);
                double scalar = timer.bestMillis(p.scalar);
                if (scalar / simd < minFactor) {
                    // once more after another warm-up: a C2 compile still under way (seconds under emulation)
                    // passes, a fallback does not
                    simd = Math.min(simd, timer.bestMillis(p.simd));
                }
                double factor = scalar / simd;
                boolean ok = factor >= minFactor;
                if (!ok) {
                    failed.add(p.name);
                }
                out.printf(Locale.ROOT, "kernel=%s simd_ms=%.3f scalar_ms=%.3f factor=%.2f min=%.1f %s%n", p.name,
                        simd, scalar, factor, minFactor, ok ? "ok" : "FAIL");
                out.flush();
            }
            if (!failed.isEmpty()) {
                spec.commandLine().getErr().println("jsora: simd-check failed for " + String.join(", ", failed)
                        + ": slower than its minimum factor over scalar Java (a Vector API fallback?)");
                return 1;
            }
            return 0;
        } finally {
            Parallel.setThreads(threads);
        }
    }

    private List<SimdProbes.Probe> selected() {
        List<SimdProbes.Probe> all = SimdProbes.all();
        if (only == null) {
            return all;
        }
        List<SimdProbes.Probe> chosen = new ArrayList<>();
        for (String name : only) {
            SimdProbes.Probe p = all.stream().filter(q -> q.name.equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--only: no kernel named " + name + "; names: "
                            + all.stream().map(q -> q.name).reduce((a, b) -> a + ", " + b).orElse("")));
            chosen.add(p);
        }
        return chosen;
    }
}
