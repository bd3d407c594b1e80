package jsora.models.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a generation did: per-stage wall times, the sampler's model calls and LPL leap, and peak memory.
 */
public final class GenerationReport {
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();
    int steps;
    int modelCalls;
    int leapStep = -1;
    float[] timesteps = new float[0];
    long peakRssBytes = -1;
    String textNote;

    void stage(String name, long millis) {
        stageMillis.merge(name, millis, Long::sum);
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

    /** Peak resident memory of the process (VmHWM) in bytes, or -1 where /proc is not available. */
    public long peakRssBytes() {
        return peakRssBytes;
    }
}
