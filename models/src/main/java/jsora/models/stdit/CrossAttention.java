package jsora.models.stdit;

import jsora.nn.Linear;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Attention;
import jsora.tensor.kernels.HeadView;

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
        Tensor kv = kvLinear.forward(text.tokens);
        Tensor o = Tensor.zeros(x.shape());
        // q straight from its projection, the output in the layout proj reads
        Attention.sdpa(HeadView.tokens(qLinear.forward(x), 1, 0, heads), perSample(kv, 0, text),
                perSample(kv, 1, text), HeadView.tokens(o, 1, 0, heads), new Attention.Options().keyLengths(text.lens));
        return proj.forward(o);
    }

    /**
     * Part {@code part} (0: k, 1: v) of the captions' packed projection [Σ lens, 2·H·D] as [B, H, max len, D]:
     * sample b's tokens first in its row, the rest zero (masked by length).
     */
    private HeadView perSample(Tensor kv, int part, TextCondition text) {
        int d = kv.dim(1) / (2 * heads);
        int lmax = text.maxLen();
        Tensor out = Tensor.zeros(text.batch(), heads, lmax, d);
        for (int s = 0; s < text.batch(); s++) {
            for (int j = 0; j < text.lens[s]; j++) {
                int from = kv.offset() + (text.offset(s) + j) * kv.dim(1) + part * heads * d;
                for (int hi = 0; hi < heads; hi++) {
                    System.arraycopy(kv.data(), from + hi * d, out.data(), ((s * heads + hi) * lmax + j) * d, d);
                }
            }
        }
        return HeadView.of(out);
    }
}
