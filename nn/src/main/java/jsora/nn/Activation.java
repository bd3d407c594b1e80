package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/** The pointwise nonlinearities layers are built with. */
public enum Activation {
    /** GELU with the tanh approximation (PyTorch {@code approximate="tanh"}). */
    GELU_TANH,
    /** Exact GELU. */
    GELU,
    /** x·sigmoid(x). */
    SILU;

    /** {@code out} may be {@code x}. */
    public void apply(Tensor x, Tensor out) {
        switch (this) {
            case GELU_TANH:
                Activations.geluTanh(x, out);
                break;
            case GELU:
                Activations.gelu(x, out);
                break;
            default:
                Activations.silu(x, out);
        }
    }
}
