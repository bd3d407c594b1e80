package jsora.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Times one operation: warms it up until the JIT has settled, then takes the best of a few timed slices, each as many
 * calls as fit in {@code sliceSeconds}. The JIT counts as settled after at least {@code minCalls} calls (C2 compiles
 * a method only once its call and loop counters pass thresholds; until then Vector API code runs in C1 and is
 * slower than scalar code) and once {@code quietSeconds} of calls passed without any compilation finishing (C2
 * compiles in the background, and under emulation one compile can take seconds).
 */
final class CallTimer {
    private final double quietSeconds;
    private final int minCalls;
    private final double maxWarmupSeconds;
    private final double sliceSeconds;
    private final int runs;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    CallTimer(double quietSeconds, int minCalls, double maxWarmupSeconds, double sliceSeconds, int runs) {
        this.quietSeconds = quietSeconds;
        this.minCalls = minCalls;
        this.maxWarmupSeconds = maxWarmupSeconds;
        this.sliceSeconds = sliceSeconds;
        this.runs = runs;
    }

    /** Best milliseconds per call. */
    double bestMillis(Runnable op) {
        warmUp(op);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < runs; r++) {
            best = Math.min(best, slice(op).millisPerCall());
        }
        return best;
    }

    private void warmUp(Runnable op) {
        boolean monitored = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long quietSince = start;
        long compiled = monitored ? jit.getTotalCompilationTime() : 0;
        for (int calls = 0; ; ) {
            calls += slice(op).calls;
            long now = System.nanoTime();
            if (monitored && jit.getTotalCompilationTime() != compiled) {
                compiled = jit.getTotalCompilationTime();
                quietSince = now;
            }
            if (calls >= minCalls && (now - quietSince) / 1e9 >= quietSeconds
                    || (now - start) / 1e9 >= maxWarmupSeconds) {
                return;
            }
        }
    }

    /** Calls made in one slice and the time they took. */
    private static final class Slice {
        final int calls;
        final long nanos;

        Slice(int calls, long nanos) {
            this.calls = calls;
            this.nanos = nanos;
        }

        double millisPerCall() {
            return nanos / 1e6 / calls;
        }
    }

    /** Runs {@code op} for at least {@code sliceSeconds} (at least once). */
    private Slice slice(Runnable op) {
        long slice = (long) (sliceSeconds * 1e9);
        long t0 = System.nanoTime();
        long elapsed;
        int calls = 0;
        do {
            op.run();
            calls++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < slice);
        return new Slice(calls, elapsed);
    }
}
