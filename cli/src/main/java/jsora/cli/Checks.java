package jsora.cli;

import java.lang.management.ManagementFactory;
import jsora.tensor.Parallel;
import jsora.tensor.SystemSettings;
import jsora.weights.MemoryBudget;

/** Checks of option values that picocli's types do not make, each failing with a message naming the option. */
public final class Checks {
    private Checks() {
    }

    /** {@code x}, if it is a finite number. */
    public static double finite(String option, double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(option + " " + x + ": must be a finite number");
        }
        return x;
    }

    /** {@code x}, if it is finite and not negative. */
    public static double nonNegative(String option, double x) {
        if (!(finite(option, x) >= 0)) {
            throw new IllegalArgumentException(option + " " + x + ": must not be negative");
        }
        return x;
    }

    /** {@code v}, if it lies in [min, max]. */
    public static int within(String option, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " " + v + ": must be " + min + " to " + max);
        }
        return v;
    }

    /** Applies {@code --threads} (null: keep the default). */
    public static void threads(Integer n) {
        if (n != null) {
            Parallel.setThreads(within("--threads", n, 1, SystemSettings.MAX_THREADS));
        }
    }

    /** Fails if {@code bytes} of {@code option} exceed the machine's physical memory (when the JVM can tell it). */
    public static void physicalMemory(String option, String text, long bytes) {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            long total = ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            if (total > 0 && bytes > total) {
                throw new IllegalArgumentException(option + " " + text + ": more than this machine's memory ("
                        + MemoryBudget.format(total) + ")");
            }
        }
    }
}
