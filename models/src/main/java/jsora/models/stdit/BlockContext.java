package jsora.models.stdit;

import jsora.tensor.Tensor;

/** What every block of one forward pass shares: sizes, the caption, the timestep projections and the TDTM switch. */
final class BlockContext {
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
}
