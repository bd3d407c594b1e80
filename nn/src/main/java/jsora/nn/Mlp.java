package jsora.nn;

import jsora.tensor.Tensor;

/** Two linear layers with a nonlinearity between them (timm's {@code Mlp}: fc1 → act → fc2). */
public final class Mlp {
    private final Linear fc1;
    private final Activation act;
    private final Linear fc2;

    public Mlp(Linear fc1, Activation act, Linear fc2) {
        if (fc1.outFeatures() != fc2.inFeatures()) {
            throw new IllegalArgumentException("Mlp: fc1 gives " + fc1.outFeatures() + " features, fc2 takes "
                    + fc2.inFeatures());
        }
        this.fc1 = fc1;
        this.act = act;
        this.fc2 = fc2;
    }

    public Linear fc1() {
        return fc1;
    }

    public Linear fc2() {
        return fc2;
    }

    /** A new tensor [..., out] for x [..., in]. */
    public Tensor forward(Tensor x) {
        Tensor h = fc1.forward(x);
        act.apply(h, h);
        return fc2.forward(h);
    }
}
