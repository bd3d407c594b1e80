package jsora.models.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time the whole process has used (all threads). Beside wall time it tells how much of the machine a stage got:
 * on a shared machine wall time grows with the other load, CPU time much less.
 */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Nanoseconds of CPU time so far, or -1 where the JVM does not report it. */
    public static long nanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Milliseconds of CPU time between two {@link #nanos} readings, or -1 if either is unknown. */
    public static long millisBetween(long from, long to) {
        return from < 0 || to < 0 ? -1 : (to - from) / 1_000_000;
    }
}
