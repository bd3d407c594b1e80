package jsora.tensor.kernels;

import java.util.concurrent.atomic.LongAdder;

/**
 * The arithmetic the compute kernels did and the wall time they took, counted at their public entry points, so that
 * a run can report the rate it achieved per kernel: a kernel running far below its usual rate (a JIT in a slow
 * state, a machine shared with other work) then shows in the report, not only in the total time. A call is timed
 * on the caller's thread and includes the pool threads working for it; the models call kernels from one thread.
 */
public final class KernelClock {
    private KernelClock() {
    }

    /** What is counted. */
    public enum Kernel {
        /** Matrix products ({@link Gemm}): 2·M·N·K flops each. */
        GEMM,
        /** Convolutions ({@link Conv}): 2 flops per multiply-add of the kernel window. */
        CONV,
        /** {@link Attention#sdpa}: q·kᵀ and p·v over the valid keys, 2·Lq·keys·(D + Dv) flops per head. */
        ATTENTION
    }

    private static final LongAdder[] FLOPS = adders();
    private static final LongAdder[] NANOS = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[Kernel.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    static void add(Kernel k, long flops, long startNanos) {
        NANOS[k.ordinal()].add(System.nanoTime() - startNanos);
        FLOPS[k.ordinal()].add(flops);
    }

    /** The counts since the JVM started. */
    public static Totals totals() {
        int n = Kernel.values().length;
        long[] f = new long[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            f[i] = FLOPS[i].sum();
            t[i] = NANOS[i].sum();
        }
        return new Totals(f, t);
    }

    /** Flops and wall nanoseconds per kernel, indexed by {@link Kernel#ordinal()}. */
    public record Totals(long[] flops, long[] nanos) {
        /** What was counted since {@code earlier}. */
        public Totals since(Totals earlier) {
            long[] f = flops.clone();
            long[] t = nanos.clone();
            for (int i = 0; i < f.length; i++) {
                f[i] -= earlier.flops[i];
                t[i] -= earlier.nanos[i];
            }
            return new Totals(f, t);
        }

        public long flops(Kernel k) {
            return flops[k.ordinal()];
        }

        public double seconds(Kernel k) {
            return nanos[k.ordinal()] / 1e9;
        }

        /** GFLOP/s of the kernel over its calls, or NaN if it did nothing. */
        public double gflops(Kernel k) {
            long t = nanos[k.ordinal()];
            return t > 0 && flops(k) > 0 ? (double) flops(k) / t : Double.NaN;
        }
    }
}
