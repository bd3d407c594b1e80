package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.HeadView;
import jsora.tensor.kernels.Norms;

/** RMSNorm over the last axis (T5LayerNorm, LlamaRMSNorm): x / sqrt(mean(x²) + eps) · weight. */
public final class RmsNorm {
    private final Tensor weight;
    private final float eps;

    /** {@code weight} [C] or null (no scale). */
    public RmsNorm(Tensor weight, float eps) {
        this.weight = weight;
        this.eps = eps;
    }

    public Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        forward(x, y);
        return y;
    }

    /** {@code out} may be {@code x}. */
    public void forward(Tensor x, Tensor out) {
        if (weight != null && x.dim(-1) != weight.size()) {
            throw new IllegalArgumentException("RmsNorm over " + weight.size() + " features, got " + x);
        }
        Norms.rmsNorm(x, weight, eps, out);
    }

    /** In place over every head row of D of {@code x} (qk-norm on a projection's output). */
    public void forward(HeadView x) {
        Norms.rmsNorm(x, weight, eps);
    }
}
