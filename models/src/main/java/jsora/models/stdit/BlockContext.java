package jsora.models.stdit;

import jsora.models.Taps;
import jsora.tensor.Tensor;

/**
 * What every block of one forward pass shares: sizes, the caption, the timestep projections, the x_mask and the TDTM
 * switch. {@link STDiT3} builds it; {@link #of} builds one for running a {@link BlockPair} alone (benchmarks).
 */
public final class BlockContext {
    final int frames;
    final int tokensPerFrame;
    final TextCondition text;
    final Tensor tMlp;
    final Tensor t0Mlp;
    final boolean[][] xMask;
    /** TDTM on for this pass. */
    final boolean merge;
    /** Rotary tables over all frames and over merged frames. */
    final RotaryTable rope;
    final RotaryTable mergedRope;
    final Taps taps;

    BlockContext(int frames, int tokensPerFrame, TextCondition text, Tensor tMlp, Tensor t0Mlp,
            boolean[][] xMask, boolean merge, RotaryTable rope, RotaryTable mergedRope, Taps taps) {
        this.frames = frames;
        this.tokensPerFrame = tokensPerFrame;
        this.text = text;
        this.tMlp = tMlp;
        this.t0Mlp = t0Mlp;
        this.xMask = xMask;
        this.merge = merge;
        this.rope = rope;
        this.mergedRope = mergedRope;
        this.taps = taps;
    }

    /**
     * For running block pairs directly on x [B, frames·tokensPerFrame, C].
     *
     * @param caption    projected caption tokens of all samples, one after another [Σ lens, C]
     * @param lens       caption tokens per sample
     * @param tMlp       t_block output [B, 6·C]
     * @param ropeFreqs  the checkpoint's {@code rope.freqs} [head_dim / 2]
     * @param mergeFrames TDTM on
     * @param taps       receives each block's {@code .attn}, {@code .cross_attn}, {@code .mlp} and output, in order
     */
    public static BlockContext of(int frames, int tokensPerFrame, Tensor caption, int[] lens, Tensor tMlp,
            Tensor ropeFreqs, boolean mergeFrames, Taps taps) {
        return new BlockContext(frames, tokensPerFrame, new TextCondition(caption, lens.clone()), tMlp, null, null,
                mergeFrames && FrameMerge.applies(frames), RotaryTable.of(ropeFreqs, frames),
                RotaryTable.of(ropeFreqs, FrameMerge.mergedLength(frames)), taps);
    }
}
