package jsora.models.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak memory: the process's peak resident set, from {@code VmHWM} in /proc/self/status (Linux and Android), and the
 * heap pools' peak use. {@link #reset} restarts both (the resident peak by writing 5 to /proc/self/clear_refs,
 * Linux 4.0+), so that a stage or a benchmark can read its own peaks.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** The peak resident set in bytes, or -1 where it cannot be read. */
    public static long bytes() {
        return parse(read());
    }

    /**
     * Sets the resident peak to the current resident set (a JVM keeps the heap it has grown, so this is not zero)
     * and forgets the heap pools' peaks; false where the kernel does not allow the resident reset.
     */
    public static boolean reset() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sum of the heap pools' peak use since {@link #reset} (an upper bound of the peak heap in use, garbage included). */
    public static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** "1.25 GB", or "n/a" for a negative size. */
    public static String format(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }

    private static String read() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The VmHWM line ("VmHWM:    123456 kB") of a status file, in bytes; -1 if absent. */
    static long parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * 1024;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
