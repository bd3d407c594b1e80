package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/** Pointwise activations; {@code out} may be {@code x}. */
public final class Activations {
    private Activations() {
    }

    /** GELU with the tanh approximation (HF {@code gelu_new}, PyTorch {@code approximate="tanh"}). */
    public static void geluTanh(Tensor x, Tensor out) {
        float[] xa = x.data();
        float[] oa = out.data();
        for (int i = 0; i < x.size(); i++) {
            float v = xa[x.offset() + i];
            double inner = Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v);
            oa[out.offset() + i] = (float) (0.5 * v * (1.0 + Math.tanh(inner)));
        }
    }

    /** Exact GELU, x·Φ(x) with the error function. */
    public static void gelu(Tensor x, Tensor out) {
        float[] xa = x.data();
        float[] oa = out.data();
        for (int i = 0; i < x.size(); i++) {
            float v = xa[x.offset() + i];
            oa[out.offset() + i] = (float) (0.5 * v * (1.0 + Erf.erf(v / Math.sqrt(2.0))));
        }
    }

    /** SiLU, x·sigmoid(x). */
    public static void silu(Tensor x, Tensor out) {
        float[] xa = x.data();
        float[] oa = out.data();
        for (int i = 0; i < x.size(); i++) {
            float v = xa[x.offset() + i];
            oa[out.offset() + i] = (float) (v / (1.0 + Math.exp(-v)));
        }
    }
}
