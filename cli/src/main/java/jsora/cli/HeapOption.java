package jsora.cli;

import java.util.ArrayList;
import java.util.List;
import jsora.models.pipeline.MemoryPlan;
import jsora.weights.MemoryBudget;

/**
 * The heap a {@code --memory} budget asks for. A budget bounds the whole process's resident set, so the JVM must
 * start with {@code -Xmx} = {@link MemoryPlan#heapFor}: a larger heap would let garbage pile up past the budget
 * before the collector runs. {@link Main} relaunches the JVM with this option when the running one's heap is larger.
 */
final class HeapOption {
    private HeapOption() {
    }

    /**
     * The -Xmx bytes for the {@code --memory} of a {@code generate} command line, or -1 if there is none (or it is
     * malformed, or another command's, such as {@code bench t5}'s weight budget).
     *
     * @throws IllegalArgumentException if it asks for more than the machine's memory
     */
    static long wanted(String[] args) {
        if (args.length == 0 || !args[0].equals("generate")) {
            return -1;
        }
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--memory") && i + 1 < args.length) {
                value = args[i + 1];
            } else if (args[i].startsWith("--memory=")) {
                value = args[i].substring("--memory=".length());
            }
        }
        if (value == null) {
            return -1;
        }
        long budget;
        try {
            budget = MemoryBudget.parse(value);
        } catch (IllegalArgumentException e) {
            return -1; // the command reports the bad value itself
        }
        Checks.physicalMemory("--memory", value, budget);
        long heap = MemoryPlan.heapFor(budget);
        return heap > 0 ? heap : -1;
    }

    /** Whether a JVM whose heap may grow to {@code maxHeap} must be restarted for {@code wanted} (-1: no). */
    static boolean tooLarge(long maxHeap, long wanted) {
        return wanted > 0 && maxHeap > wanted + (wanted >> 5);
    }

    /**
     * {@code jvmArgs} without heap-size options, then {@code -Xmx} for {@code wanted} bytes (in KiB) and, unless a
     * collector was chosen, the parallel collector: G1 keeps every array larger than half a heap region (regions are
     * 1-2 MB at these heap sizes, weight matrices 5-170 MB) in runs of contiguous "humongous" regions, and in a heap
     * filled to the plan's 90% with such arrays it ran out of memory (measured: STDiT3 at --memory 3.3G); the
     * parallel collector compacts them.
     */
    static List<String> withHeap(List<String> jvmArgs, long wanted) {
        List<String> out = new ArrayList<>();
        boolean collector = false;
        for (String a : jvmArgs) {
            collector |= a.matches("-XX:\\+Use\\w+GC");
            if (!a.startsWith("-Xmx") && !a.startsWith("-XX:MaxHeapSize=") && !a.startsWith("-XX:MaxRAMPercentage=")) {
                out.add(a);
            }
        }
        out.add("-Xmx" + (wanted >> 10) + "k");
        if (!collector) {
            out.add("-XX:+UseParallelGC");
        }
        return out;
    }
}
