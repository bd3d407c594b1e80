package jsora.models.t5;

import jsora.nn.Linear;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Attention;
import jsora.tensor.kernels.HeadView;

/**
 * T5's self-attention ({@code layer.0.SelfAttention}): q, k, v, o without biases, logits NOT scaled by 1/√d_kv (the
 * scale is folded into the initialisation of q), plus the position bias (and key mask) of each sequence.
 */
public final class T5Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;

    public T5Attention(Linear q, Linear k, Linear v, Linear o, int heads) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
    }

    /** x [T, d_model] (the normalized hidden states of every sequence) → [T, d_model]. */
    public Tensor forward(Tensor x, Sequences seqs) {
        Tensor qs = q.forward(x);
        Tensor ks = k.forward(x);
        Tensor vs = v.forward(x);
        Tensor mixed = Tensor.zeros(x.dim(0), qs.dim(-1));
        for (int s = 0; s < seqs.count(); s++) {
            int from = seqs.start(s);
            int to = from + seqs.length(s);
            Attention.Options opts = new Attention.Options().scale(1f).relativeBias(seqs.bias(s))
                    .keyMask(seqs.keyMask(s));
            Attention.sdpa(heads(qs, from, to), heads(ks, from, to), heads(vs, from, to), heads(mixed, from, to),
                    opts);
        }
        return o.forward(mixed);
    }

    /** Rows [from, to) of a projection's output [T, H·D] (read or written in place) as [1, H, to − from, D]. */
    private HeadView heads(Tensor projected, int from, int to) {
        return HeadView.tokens(projected.slice(from, to).reshape(1, to - from, projected.dim(-1)), 1, 0, heads);
    }
}
