package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Norms;

/** torch.nn.LayerNorm over the last axis; without affine parameters when gamma and beta are null. */
public final class LayerNorm {
    private final Tensor gamma;
    private final Tensor beta;
    private final float eps;

    public LayerNorm(Tensor gamma, Tensor beta, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
    }

    /** LayerNorm(elementwise_affine=False). */
    public static LayerNorm noAffine(float eps) {
        return new LayerNorm(null, null, eps);
    }

    public Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        forward(x, y);
        return y;
    }

    /** {@code out} may be {@code x}. */
    public void forward(Tensor x, Tensor out) {
        Norms.layerNorm(x, gamma, beta, eps, out);
    }
}
