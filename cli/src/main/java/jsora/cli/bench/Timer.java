package jsora.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Times one operation: warm-up runs until the JIT has settled, then timed runs, each reported as GFLOP/s by wall
 * clock and per CPU-second of the process (a per-core figure that other processes on a shared machine hardly move).
 * A timed run repeats the operation for at least {@link #MIN_RUN_NANOS}.
 */
final class Timer {
    /** GFLOP/s of every timed run. */
    static final class Result {
        final double[] gflops;
        final double[] gflopsPerCpu;

        Result(double[] gflops, double[] gflopsPerCpu) {
            this.gflops = gflops;
            this.gflopsPerCpu = gflopsPerCpu;
        }

        double best() {
            return Arrays.stream(gflops).max().orElse(0);
        }

        double bestPerCpu() {
            return Arrays.stream(gflopsPerCpu).max().orElse(0);
        }

        double median() {
            double[] s = gflops.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    /** Shortest timed run: several ticks of the process CPU clock. */
    private static final long MIN_RUN_NANOS = 50_000_000;

    private Timer() {
    }

    /**
     * Runs {@code op} at least {@code warmups} times and for at least {@code warmupSeconds} untimed, then
     * {@code runs} timed times; {@code flops} is the work of one run.
     */
    static Result time(Runnable op, double flops, int warmups, double warmupSeconds, int runs) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmups || System.nanoTime() < until; i++) {
            op.run();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] g = new double[runs];
        double[] perCpu = new double[runs];
        boolean cpuClock = os.getProcessCpuTime() >= 0;
        for (int r = 0; r < runs; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long calls = 0;
            long dt;
            long dc;
            do { // a small operation is repeated until both clocks have ticked (the CPU clock counts in ticks)
                op.run();
                calls++;
                dt = System.nanoTime() - t0;
                dc = os.getProcessCpuTime() - c0;
            } while (dt < MIN_RUN_NANOS || cpuClock && dc <= 0);
            g[r] = flops * calls / dt;
            perCpu[r] = cpuClock ? flops * calls / dc : Double.NaN;
        }
        return new Result(g, perCpu);
    }

    /** Uniform values in [-1, 1) from a fixed seed. */
    static float[] random(java.util.Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }
}
