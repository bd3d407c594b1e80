package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;

/**
 * A gated feed-forward layer (GLU variants, Shazeer 2020): {@code out(act(gate(x)) ⊙ up(x))}. T5 v1.1's
 * {@code T5DenseGatedActDense} is this with gate = wi_0, up = wi_1, out = wo and act = GELU (tanh approximation).
 */
public final class GatedMlp {
    private final Linear gate;
    private final Linear up;
    private final Activation act;
    private final Linear out;

    public GatedMlp(Linear gate, Linear up, Activation act, Linear out) {
        if (gate.inFeatures() != up.inFeatures() || gate.outFeatures() != up.outFeatures()
                || out.inFeatures() != gate.outFeatures()) {
            throw new IllegalArgumentException("GatedMlp: gate " + gate.weight() + ", up " + up.weight() + " and out "
                    + out.weight() + " do not chain");
        }
        this.gate = gate;
        this.up = up;
        this.act = act;
        this.out = out;
    }

    /** A new tensor [..., out] for x [..., in]. */
    public Tensor forward(Tensor x) {
        Tensor g = gate.forward(x);
        act.apply(g, g);
        Elementwise.mul(g, up.forward(x), g);
        return out.forward(g);
    }
}
