package jsora.weights;

import java.util.Locale;

/** What a {@link StreamingLoader} did so far: bytes loaded, time spent loading, time compute waited, peak memory. */
public final class LoadStats {
    public final long bytesLoaded;
    public final int loads;
    public final long loadNanos;
    public final long stallNanos;
    public final int stalls;
    public final long peakResidentBytes;
    public final int residentGroups;

    LoadStats(long bytesLoaded, int loads, long loadNanos, long stallNanos, int stalls, long peakResidentBytes,
              int residentGroups) {
        this.bytesLoaded = bytesLoaded;
        this.loads = loads;
        this.loadNanos = loadNanos;
        this.stallNanos = stallNanos;
        this.stalls = stalls;
        this.peakResidentBytes = peakResidentBytes;
        this.residentGroups = residentGroups;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "weights: %d loads, %s read in %.2f s, compute waited %.2f s (%d times), "
                        + "peak resident %s, %d groups kept resident", loads, MemoryBudget.format(bytesLoaded),
                loadNanos / 1e9, stallNanos / 1e9, stalls, MemoryBudget.format(peakResidentBytes), residentGroups);
    }
}
