package jsora.models.stdit;

import jsora.nn.Activation;
import jsora.nn.LayerNorm;
import jsora.nn.Linear;
import jsora.nn.Mlp;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;

/**
 * One {@code STDiT3Block}: a spatial block attends among the tokens of one frame, a temporal block among the frames
 * of one token position (with RoPE over frames). Then
 * <pre>
 *   x += gate_msa · Attn(LN(x)·(1 + scale_msa) + shift_msa)
 *   x += CrossAttn(x, caption)
 *   x += gate_mlp · Mlp(LN(x)·(1 + scale_mlp) + shift_mlp)
 * </pre>
 * With TDTM on ({@link FrameMerge}), self-attention and cross-attention run on frame-merged tokens and their results
 * are unmerged before the gate/residual (On-device Sora's modified block); LN, modulation and the Mlp stay at full T.
 */
public final class STDiT3Block {
    private static final int SHIFT_MSA = 0;
    private static final int SCALE_MSA = 1;
    private static final int GATE_MSA = 2;
    private static final int SHIFT_MLP = 3;
    private static final int SCALE_MLP = 4;
    private static final int GATE_MLP = 5;

    private final boolean temporal;
    private final Tensor scaleShiftTable;
    private final SelfAttention attn;
    private final CrossAttention crossAttn;
    private final Mlp mlp;
    private final LayerNorm norm = LayerNorm.noAffine(1e-6f);

    STDiT3Block(boolean temporal, Tensor scaleShiftTable, SelfAttention attn, CrossAttention crossAttn, Mlp mlp) {
        this.temporal = temporal;
        this.scaleShiftTable = scaleShiftTable;
        this.attn = attn;
        this.crossAttn = crossAttn;
        this.mlp = mlp;
    }

    /** Loads one block from keys relative to its prefix (e.g. {@code temporal_blocks.3.}). */
    public static STDiT3Block load(Params p, STDiT3Config c, boolean temporal) {
        int h = c.hiddenSize;
        int m = c.mlpHidden();
        return new STDiT3Block(temporal, p.tensor("scale_shift_table", 6, h), SelfAttention.load(p.under("attn."), c),
                CrossAttention.load(p.under("cross_attn."), c),
                new Mlp(new Linear(p.weight("mlp.fc1.weight", m, h), p.tensor("mlp.fc1.bias", m)), Activation.GELU_TANH,
                        new Linear(p.weight("mlp.fc2.weight", h, m), p.tensor("mlp.fc2.bias", h))));
    }

    /** Updates x [B, T·S, C] in place; {@code name} prefixes the taps (e.g. {@code "spatial_blocks.0"}). */
    void forward(Tensor x, BlockContext ctx, String name) {
        int b = x.dim(0);
        int c = x.dim(2);
        int frames = ctx.frames;
        int s = ctx.tokensPerFrame;
        Modulation mod = Modulation.of(scaleShiftTable, ctx.tMlp, ctx.t0Mlp, ctx.xMask);
        boolean merge = ctx.merge && FrameMerge.applies(frames);

        Tensor h = norm.forward(x);
        mod.modulate(h, SHIFT_MSA, SCALE_MSA, frames);
        int tm = FrameMerge.mergedLength(frames);
        Tensor a;
        if (merge) {
            Tensor merged = FrameMerge.merge(h.reshape(b, frames, s, c), frames);
            a = FrameMerge.unmerge(selfAttention(merged, tm, s, ctx.mergedRope, ctx, name), frames);
        } else {
            a = selfAttention(h.reshape(b, frames, s, c), frames, s, ctx.rope, ctx, name);
        }
        mod.addGated(x, a, GATE_MSA, frames);

        Tensor cross;
        if (merge) {
            Tensor merged = FrameMerge.merge(x.reshape(b, frames, s, c), frames);
            cross = crossAttn.forward(merged.reshape(b, tm * s, c), ctx.text);
            ctx.taps.tap(name + ".cross_attn", cross);
            cross = FrameMerge.unmerge(cross.reshape(b, tm, s, c), frames);
        } else {
            cross = crossAttn.forward(x, ctx.text);
            ctx.taps.tap(name + ".cross_attn", cross);
        }
        Elementwise.add(x, cross.reshape(x.shape()), x);

        h = norm.forward(x);
        mod.modulate(h, SHIFT_MLP, SCALE_MLP, frames);
        Tensor o = mlp.forward(h);
        ctx.taps.tap(name + ".mlp", o);
        mod.addGated(x, o, GATE_MLP, frames);
        ctx.taps.tap(name, x);
    }

    /** Self-attention over h [B, T, S, C] (frame-major), within frames or across them; returns [B, T, S, C]. */
    private Tensor selfAttention(Tensor h, int frames, int s, RotaryTable rope, BlockContext ctx, String name) {
        int b = h.dim(0);
        int c = h.dim(-1);
        Tensor out;
        if (temporal) {
            out = attn.forwardAcrossFrames(h.reshape(b, frames * s, c), frames, rope);
            // the reference's tap holds the (B S) T C layout
            Tensor o = out;
            ctx.taps.tap(name + ".attn", () -> Frames.swap(o, frames, s).reshape(b * s, frames, c));
        } else {
            out = attn.forward(h.reshape(b * frames, s, c), null);
            ctx.taps.tap(name + ".attn", out);
        }
        return out.reshape(b, frames, s, c);
    }
}
