package jsora.models.stdit;

import jsora.nn.Heads;
import jsora.nn.Linear;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Attention;

/**
 * Open-Sora's {@code MultiHeadCrossAttention} ({@code cross_attn}): the video tokens of sample b attend to the valid
 * caption tokens of sample b only (block-diagonal), no qk-norm, scale 1/√D.
 */
final class CrossAttention {
    private final Linear qLinear;
    private final Linear kvLinear;
    private final Linear proj;
    private final int heads;

    CrossAttention(Linear qLinear, Linear kvLinear, Linear proj, int heads) {
        this.qLinear = qLinear;
        this.kvLinear = kvLinear;
        this.proj = proj;
        this.heads = heads;
    }

    static CrossAttention load(Params p, STDiT3Config c) {
        int h = c.hiddenSize;
        return new CrossAttention(new Linear(p.weight("q_linear.weight", h, h), p.tensor("q_linear.bias", h)),
                new Linear(p.weight("kv_linear.weight", 2 * h, h), p.tensor("kv_linear.bias", 2 * h)),
                new Linear(p.weight("proj.weight", h, h), p.tensor("proj.bias", h)), c.numHeads);
    }

    /** x [B, N, C] → a new [B, N, C]. */
    Tensor forward(Tensor x, TextCondition text) {
        int b = x.dim(0);
        if (b != text.batch()) {
            throw new IllegalArgumentException("cross-attention: " + b + " samples but " + text.batch() + " captions");
        }
        Tensor q = Heads.split(qLinear.forward(x), 1, heads)[0];
        int rows = text.tokens.dim(0);
        Tensor[] kv = Heads.split(kvLinear.forward(text.tokens).reshape(1, rows, -1), 2, heads);
        Tensor k = perSample(kv[0], text);
        Tensor v = perSample(kv[1], text);
        Tensor o = Tensor.zeros(q.shape());
        Attention.sdpa(q, k, v, o, new Attention.Options().keyLengths(text.lens));
        return proj.forward(Heads.merge(o));
    }

    /** [1, H, Σ lens, D] → [B, H, max len, D], sample b's tokens first in its row, the rest zero (masked by length). */
    private static Tensor perSample(Tensor packed, TextCondition text) {
        int h = packed.dim(1);
        int total = packed.dim(2);
        int d = packed.dim(3);
        int lmax = text.maxLen();
        Tensor out = Tensor.zeros(text.batch(), h, lmax, d);
        for (int s = 0; s < text.batch(); s++) {
            int from = text.offset(s);
            for (int hi = 0; hi < h; hi++) {
                System.arraycopy(packed.data(), packed.offset() + (hi * total + from) * d, out.data(),
                        ((s * h + hi) * lmax) * d, text.lens[s] * d);
            }
        }
        return out;
    }
}
