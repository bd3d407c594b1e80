package jsora.models.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.kernels.KernelClock;
import jsora.weights.LoadStats;

/**
 * What a generation did: per-stage wall times, the sampler's model calls and LPL leap, and peak memory.
 */
public final class GenerationReport {
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();
    private final Map<String, StageMemory> stageMemory = new LinkedHashMap<>();
    private final Map<String, LoadStats> streaming = new LinkedHashMap<>();
    private final Map<String, KernelClock.Totals> kernels = new LinkedHashMap<>();
    int steps;
    int modelCalls;
    int leapStep = -1;
    float[] timesteps = new float[0];
    long peakRssBytes = -1;
    String textNote;

    /**
     * One sampling step: its wall time (model call, guidance and update) and the process's CPU time in it (-1 if
     * unknown), LPL's cosine, whether TDTM merged.
     */
    public record Step(long millis, long cpuMillis, float cosine, boolean merged) {
    }

    private final List<Step> stepLog = new ArrayList<>();

    void step(long millis, long cpuMillis, float cosine, boolean merged) {
        stepLog.add(new Step(millis, cpuMillis, cosine, merged));
    }

    private final Map<String, Long> stageCpuMillis = new LinkedHashMap<>();

    void stageCpu(String name, long millis) {
        stageCpuMillis.put(name, millis);
    }

    /** Stage name to the process's CPU time in it (all threads), in milliseconds (-1 if unknown). */
    public Map<String, Long> stageCpuMillis() {
        return new LinkedHashMap<>(stageCpuMillis);
    }

    /** The sampling steps as they ran. */
    public List<Step> stepLog() {
        return List.copyOf(stepLog);
    }

    void stage(String name, long millis) {
        stageMillis.merge(name, millis, Long::sum);
    }

    /** A stage's peaks: the process's resident set and the heap in use (garbage included), in bytes. */
    public record StageMemory(long peakRss, long peakHeap) {
    }

    /**
     * Records the peaks since the last {@link PeakMemory#reset} as stage {@code name}'s (the process's resident peak
     * only when {@code perStage}: the kernel allowed its reset) and into the overall peak, then resets them for the
     * next stage.
     */
    void stagePeak(String name, boolean perStage) {
        long peak = PeakMemory.bytes();
        peakRssBytes = Math.max(peakRssBytes, peak);
        stageMemory.put(name, new StageMemory(perStage ? peak : -1, PeakMemory.heapPeak()));
        PeakMemory.reset();
    }

    /** Stage name to milliseconds, in the order the stages ran. */
    public Map<String, Long> stageMillis() {
        return new LinkedHashMap<>(stageMillis);
    }

    public int steps() {
        return steps;
    }

    public int modelCalls() {
        return modelCalls;
    }

    /** What the text stage wants the user to know (e.g. the prompt was truncated), or null. */
    public String textNote() {
        return textNote;
    }

    /** The step at which LPL leapt to t = 0, or -1. */
    public int leapStep() {
        return leapStep;
    }

    public float[] timesteps() {
        return timesteps.clone();
    }

    void kernels(String stage, KernelClock.Totals work) {
        kernels.put(stage, work);
    }

    /** Stage name to what the compute kernels did in it: flops and wall time per kernel, hence its rate. */
    public Map<String, KernelClock.Totals> kernels() {
        return new LinkedHashMap<>(kernels);
    }

    void streaming(String stage, LoadStats stats) {
        streaming.put(stage, stats);
    }

    /** Stage name to what CI-DL did in it, for the stages whose weights were streamed. */
    public Map<String, LoadStats> streaming() {
        return new LinkedHashMap<>(streaming);
    }

    /**
     * Stage name to its peaks. The resident peak is -1 where it cannot be reset per stage; it includes the heap the
     * JVM grew in earlier stages and keeps, so the heap peak tells what the stage itself used.
     */
    public Map<String, StageMemory> stageMemory() {
        return new LinkedHashMap<>(stageMemory);
    }

    /** Peak resident memory of the process (VmHWM) in bytes, or -1 where /proc is not available. */
    public long peakRssBytes() {
        return peakRssBytes;
    }
}
