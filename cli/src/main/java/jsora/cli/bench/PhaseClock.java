package jsora.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import jsora.models.stdit.Taps;
import jsora.tensor.Tensor;

/**
 * A profile of block pairs from their taps: the time up to each tap is charged to it, so "spatial_blocks.0.attn" is
 * norm + modulation + self-attention (with TDTM merging), ".cross_attn" the gate, residual and cross-attention,
 * ".mlp" norm + modulation + Mlp, and the block name its last gated residual.
 */
final class PhaseClock implements Taps {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last;

    void start(long now) {
        last = now;
    }

    void reset() {
        nanos.clear();
    }

    @Override
    public void tap(String name, Tensor value) {
        long now = System.nanoTime();
        nanos.merge(name, now - last, Long::sum);
        last = now;
    }

    String report(int iterations) {
        StringBuilder sb = new StringBuilder("  profile (ms per pair, mean of " + iterations + " runs):");
        nanos.forEach((name, ns) -> sb.append(String.format("%n    %-34s %10.1f", name, ns / 1e6 / iterations)));
        return sb.toString();
    }
}
