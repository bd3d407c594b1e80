package jsora.models.stdit;

import jsora.nn.Linear;
import jsora.nn.RmsNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Attention;
import jsora.tensor.kernels.HeadView;
import jsora.tensor.kernels.Rope;

/**
 * Open-Sora's {@code Attention} ({@code attn}): fused qkv Linear, per-head RMSNorm of q and k over the head dim
 * (qk-norm, LlamaRMSNorm eps 1e-6), rotary embedding of q and k when given (temporal blocks), softmax(q·kᵀ/√D)·v,
 * output projection.
 */
final class SelfAttention {
    private final Linear qkv;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final Linear proj;
    private final int heads;

    SelfAttention(Linear qkv, RmsNorm qNorm, RmsNorm kNorm, Linear proj, int heads) {
        this.qkv = qkv;
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.proj = proj;
        this.heads = heads;
    }

    static SelfAttention load(Params p, STDiT3Config c) {
        int h = c.hiddenSize;
        int d = c.headDim();
        RmsNorm qn = c.qkNorm ? new RmsNorm(p.tensor("q_norm.weight", d), 1e-6f) : null;
        RmsNorm kn = c.qkNorm ? new RmsNorm(p.tensor("k_norm.weight", d), 1e-6f) : null;
        return new SelfAttention(new Linear(p.weight("qkv.weight", 3 * h, h), p.tensor("qkv.bias", 3 * h)), qn, kn,
                new Linear(p.weight("proj.weight", h, h), p.tensor("proj.bias", h)), c.numHeads);
    }

    /** Attention within each row of x [B', L, C] → a new [B', L, C]; {@code rope} over L or null. */
    Tensor forward(Tensor x, RotaryTable rope) {
        return attend(x, rope, (t, parts, part) -> HeadView.tokens(t, parts, part, heads));
    }

    /**
     * Attention across frames: x [B, T·S, C] frame-major (T frames of S tokens), each of the B·S sequences of one
     * token position over the T frames ("B (T S) C → (B S) T C", read in place) → a new [B, T·S, C] in the same
     * layout; {@code rope} over T or null.
     */
    Tensor forwardAcrossFrames(Tensor x, int frames, RotaryTable rope) {
        return attend(x, rope, (t, parts, part) -> HeadView.acrossFrames(t, parts, part, heads, frames));
    }

    /** Which rows of a token layout [B, N, parts·H·D] form the sequences. */
    private interface Sequences {
        HeadView part(Tensor t, int parts, int part);
    }

    /** qk-norm and RoPE in place on the projection's output, attention read from it and written in proj's layout. */
    private Tensor attend(Tensor x, RotaryTable rope, Sequences seqs) {
        Tensor packed = qkv.forward(x);
        HeadView q = seqs.part(packed, 3, 0);
        HeadView k = seqs.part(packed, 3, 1);
        if (qNorm != null) {
            qNorm.forward(q);
            kNorm.forward(k);
        }
        if (rope != null) {
            Rope.apply(q, rope.cos, rope.sin);
            Rope.apply(k, rope.cos, rope.sin);
        }
        Tensor o = Tensor.zeros(x.shape());
        Attention.sdpa(q, k, seqs.part(packed, 3, 2), seqs.part(o, 1, 0), null);
        return proj.forward(o);
    }
}
