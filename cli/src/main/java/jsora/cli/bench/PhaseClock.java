package jsora.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import jsora.models.Taps;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.KernelClock;
import jsora.tensor.kernels.KernelClock.Kernel;
import jsora.tensor.kernels.KernelClock.Totals;

/**
 * A profile of block pairs from their taps: the time up to each tap is charged to it, so "spatial_blocks.0.attn" is
 * norm + modulation + self-attention (with TDTM merging), ".cross_attn" the gate, residual and cross-attention,
 * ".mlp" norm + modulation + Mlp, and the block name its last gated residual. Each phase's time is split into the
 * matrix products, the attention kernel and the rest (norms, modulation, activations, copies), from
 * {@link KernelClock}.
 */
final class PhaseClock implements Taps {
    /** Per phase: wall, GEMM and attention nanoseconds. */
    private final Map<String, long[]> nanos = new LinkedHashMap<>();
    private long last;
    private Totals lastTotals = KernelClock.totals();

    void start(long now) {
        last = now;
        lastTotals = KernelClock.totals();
    }

    void reset() {
        nanos.clear();
    }

    @Override
    public void tap(String name, Tensor value) {
        long now = System.nanoTime();
        Totals totals = KernelClock.totals();
        Totals phase = totals.since(lastTotals);
        long[] t = nanos.computeIfAbsent(name, k -> new long[3]);
        t[0] += now - last;
        t[1] += phase.nanos()[Kernel.GEMM.ordinal()];
        t[2] += phase.nanos()[Kernel.ATTENTION.ordinal()];
        last = now;
        lastTotals = totals;
    }

    /** Times the call only: the value (a copy into the reference's layout) is not made. */
    @Override
    public void tap(String name, Supplier<Tensor> value) {
        tap(name, (Tensor) null);
    }

    String report(int iterations) {
        StringBuilder sb = new StringBuilder(String.format("  profile (ms per pair, mean of %d runs):%n    %-34s %10s"
                + " %10s %10s %10s", iterations, "phase", "total", "GEMM", "attention", "rest"));
        long[] sum = new long[3];
        nanos.forEach((name, t) -> {
            sb.append(row(name, t, iterations));
            for (int i = 0; i < 3; i++) {
                sum[i] += t[i];
            }
        });
        return sb.append(row("all", sum, iterations)).toString();
    }

    private static String row(String name, long[] t, int iterations) {
        double d = 1e6 * iterations;
        return String.format("%n    %-34s %10.1f %10.1f %10.1f %10.1f", name, t[0] / d, t[1] / d, t[2] / d,
                (t[0] - t[1] - t[2]) / d);
    }
}
