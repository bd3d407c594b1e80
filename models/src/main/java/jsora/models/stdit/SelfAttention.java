package jsora.models.stdit;

import jsora.nn.Heads;
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
        Tensor packed = qkv.forward(x);
        Tensor q = Heads.part(packed, 3, 0, heads);
        Tensor k = Heads.part(packed, 3, 1, heads);
        if (qNorm != null) {
            qNorm.forward(q, q);
            kNorm.forward(k, k);
        }
        if (rope != null) {
            Rope.apply(q, rope.cos, rope.sin);
            Rope.apply(k, rope.cos, rope.sin);
        }
        // v straight from the projection, the output in the layout proj reads
        Tensor o = Tensor.zeros(x.shape());
        Attention.sdpa(HeadView.of(q), HeadView.of(k), HeadView.tokens(packed, 3, 2, heads),
                HeadView.tokens(o, 1, 0, heads), null);
        return proj.forward(o);
    }
}
