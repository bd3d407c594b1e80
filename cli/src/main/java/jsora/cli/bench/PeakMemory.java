package jsora.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak memory of this process: resident set high-water mark (Linux VmHWM) and the Java heap's peak use. */
final class PeakMemory {
    private PeakMemory() {
    }

    /** VmHWM in MB from /proc/self/status, or −1 where there is none. */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Sum over heap pools of their peak use since the last {@link #resetHeap()}, in MB (an upper bound). */
    static double heapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }

    static void resetHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    static String describe() {
        double rss = residentMb();
        return String.format("peak RSS %s, heap pools' peaks sum %.0f MB (max heap %d MB)",
                rss < 0 ? "n/a" : String.format("%.0f MB", rss), heapMb(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }
}
