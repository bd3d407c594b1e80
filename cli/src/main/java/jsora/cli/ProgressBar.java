package jsora.cli;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import jsora.models.sampler.SamplerStep;

/**
 * The sampling progress line on stderr: {@code [#####.....] step 3/30  12.1 s/step  ETA 5m26s}, redrawn in place.
 * The ETA is the mean time per step so far times the steps left.
 */
final class ProgressBar implements Consumer<SamplerStep> {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long start;

    ProgressBar(PrintStream out, LongSupplier nanos) {
        this.out = out;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    @Override
    public void accept(SamplerStep s) {
        int done = s.index() + 1;
        int total = s.total();
        double perStep = (nanos.getAsLong() - start) / 1e9 / done;
        out.print("\r" + line(done, total, perStep, s.leapt()));
        if (done == total || s.leapt()) {
            out.println();
        }
        out.flush();
    }

    static String line(int done, int total, double secondsPerStep, boolean leapt) {
        int filled = leapt ? WIDTH : done * WIDTH / total;
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String tail = leapt ? "LPL leap to t=0 at step " + done : "ETA " + duration(secondsPerStep * (total - done));
        return String.format("[%s] step %d/%d  %.1f s/step  %s", bar, done, total, secondsPerStep, tail);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, s / 60 % 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
