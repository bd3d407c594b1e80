package jsora.models.t5;

import jsora.models.Taps;
import jsora.nn.GatedMlp;
import jsora.nn.Linear;
import jsora.nn.RmsNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;

/**
 * One encoder block ({@code encoder.block.i}, HF {@code T5Block}): two pre-norm residual sub-layers,
 * {@code layer.0} = RMSNorm → self-attention and {@code layer.1} = RMSNorm → gated-GELU feed-forward
 * ({@code DenseReluDense}: wi_0 gate, wi_1 up, wo). Block 0 also owns the relative position bias table.
 */
public final class T5Block {
    private final int index;
    private final RmsNorm attentionNorm;
    private final T5Attention attention;
    private final RmsNorm ffNorm;
    private final GatedMlp ff;
    private final RelativePositionBias positionBias;

    public T5Block(int index, RmsNorm attentionNorm, T5Attention attention, RmsNorm ffNorm, GatedMlp ff,
            RelativePositionBias positionBias) {
        this.index = index;
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.ffNorm = ffNorm;
        this.ff = ff;
        this.positionBias = positionBias;
    }

    /** Block {@code i}'s weights under {@code encoder.block.i.}. */
    public static T5Block load(T5Weights w, T5Config c, int i) {
        String p = prefix(i);
        int d = c.dModel;
        int inner = c.innerDim();
        String attn = p + "layer.0.SelfAttention.";
        T5Attention attention = new T5Attention(linear(w, attn + "q.weight", inner, d),
                linear(w, attn + "k.weight", inner, d), linear(w, attn + "v.weight", inner, d),
                linear(w, attn + "o.weight", d, inner), c.numHeads);
        String ffp = p + "layer.1.DenseReluDense.";
        GatedMlp ff = new GatedMlp(linear(w, ffp + "wi_0.weight", c.dFf, d), linear(w, ffp + "wi_1.weight", c.dFf, d),
                c.activation, linear(w, ffp + "wo.weight", d, c.dFf));
        RelativePositionBias bias = i == 0
                ? new RelativePositionBias(w.weight(attn + "relative_attention_bias.weight", c.numBuckets, c.numHeads)
                        .toTensor(), c.maxDistance)
                : null;
        return new T5Block(i, norm(w, p + "layer.0.layer_norm.weight", c), attention,
                norm(w, p + "layer.1.layer_norm.weight", c), ff, bias);
    }

    /** The key prefix of block {@code i}. */
    public static String prefix(int i) {
        return "encoder.block." + i + ".";
    }

    static RmsNorm norm(T5Weights w, String key, T5Config c) {
        // T5LayerNorm: x / sqrt(mean(x²) + eps) · weight, the variance in float32, no mean, no bias
        return new RmsNorm(w.weight(key, c.dModel).toTensor(), c.layerNormEpsilon);
    }

    private static Linear linear(T5Weights w, String key, int out, int in) {
        return new Linear(w.weight(key, out, in), null);
    }

    /** Block 0's relative position bias table, null in the other blocks (they reuse block 0's bias). */
    public RelativePositionBias positionBias() {
        return positionBias;
    }

    /** x [T, d_model] → a new [T, d_model]. */
    public Tensor forward(Tensor x, Sequences seqs, Taps taps) {
        Tensor h = x.copy();
        Elementwise.add(h, attention.forward(attentionNorm.forward(x), seqs), h);
        taps.tap("block_" + index + "_after_attention", h);
        Elementwise.add(h, ff.forward(ffNorm.forward(h)), h);
        taps.tap("block_" + index + "_output", h);
        return h;
    }
}
