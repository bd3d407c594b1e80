package jsora.models.stdit;

import jsora.nn.Activation;
import jsora.nn.Linear;
import jsora.nn.Mlp;
import jsora.tensor.Tensor;

/**
 * Open-Sora's {@code CaptionEmbedder} ({@code y_embedder}): an Mlp with tanh-GELU from the text encoder's width to
 * the hidden size, plus the learned null caption {@code y_embedding} [L, Cc] that stands for "no prompt" in the
 * unconditional half of classifier-free guidance.
 */
public final class CaptionEmbedder {
    private final Mlp yProj;
    private final Tensor yEmbedding;

    CaptionEmbedder(Mlp yProj, Tensor yEmbedding) {
        this.yProj = yProj;
        this.yEmbedding = yEmbedding;
    }

    static CaptionEmbedder load(Params p, STDiT3Config c) {
        int h = c.hiddenSize;
        int cc = c.captionChannels;
        return new CaptionEmbedder(new Mlp(
                new Linear(p.weight("y_proj.fc1.weight", h, cc), p.tensor("y_proj.fc1.bias", h)),
                Activation.GELU_TANH,
                new Linear(p.weight("y_proj.fc2.weight", h, h), p.tensor("y_proj.fc2.bias", h))),
                p.tensor("y_embedding", c.modelMaxLength, cc));
    }

    /** The null caption [L, Cc]. */
    public Tensor nullCaption() {
        return yEmbedding;
    }

    /** y_proj applied to every token: [..., Cc] → [..., hidden]. */
    public Tensor forward(Tensor y) {
        return yProj.forward(y);
    }

    /**
     * What {@code STDiT3.encode_text} computes: keeps the tokens whose mask is non-zero (row b uses mask row
     * b mod maskRows, as the reference repeats a one-prompt mask over the CFG batch), concatenated sample after sample,
     * and projects them. Without a mask every token is kept.
     *
     * @param y    [B, 1, L, Cc]
     * @param mask [Bm, L] with B a multiple of Bm, or null
     */
    TextCondition encode(Tensor y, Tensor mask) {
        if (y.rank() != 4 || y.dim(1) != 1) {
            throw new IllegalArgumentException("y must be [B, 1, L, caption channels], got " + y);
        }
        int b = y.dim(0);
        int l = y.dim(2);
        int cc = y.dim(3);
        if (mask != null && (mask.rank() != 2 || mask.dim(1) != l || b % mask.dim(0) != 0)) {
            throw new IllegalArgumentException("mask must be [B or 1, " + l + "] for y " + y + ", got " + mask);
        }
        int[] lens = new int[b];
        float[] kept = new float[b * l * cc];
        int rows = 0;
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < l; j++) {
                if (mask == null || mask.at(s % mask.dim(0), j) != 0f) {
                    System.arraycopy(y.data(), y.offset() + (s * l + j) * cc, kept, rows * cc, cc);
                    rows++;
                    lens[s]++;
                }
            }
        }
        return new TextCondition(forward(Tensor.wrap(kept, new int[] {rows, cc})), lens);
    }
}
