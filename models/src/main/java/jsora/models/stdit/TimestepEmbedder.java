package jsora.models.stdit;

import jsora.nn.Activation;
import jsora.nn.Linear;
import jsora.nn.Mlp;
import jsora.tensor.Tensor;

/**
 * Open-Sora's {@code TimestepEmbedder} (also its {@code SizeEmbedder} for one scalar per sample, as the fps embedder
 * uses it): a 256-wide sinusoid of a scalar, then Linear → SiLU → Linear ({@code mlp.0}, {@code mlp.2}).
 */
final class TimestepEmbedder {
    static final int FREQUENCY_SIZE = 256;
    private static final double MAX_PERIOD = 10000;

    private final Mlp mlp;

    TimestepEmbedder(Mlp mlp) {
        this.mlp = mlp;
    }

    static TimestepEmbedder load(Params p, int hidden) {
        return new TimestepEmbedder(new Mlp(
                new Linear(p.weight("mlp.0.weight", hidden, FREQUENCY_SIZE), p.tensor("mlp.0.bias", hidden)),
                Activation.SILU,
                new Linear(p.weight("mlp.2.weight", hidden, hidden), p.tensor("mlp.2.bias", hidden))));
    }

    /** [B, hidden] for one scalar per sample. */
    Tensor forward(float[] t) {
        return mlp.forward(sinusoid(t));
    }

    /**
     * GLIDE's timestep embedding: [cos(t·f_i), sin(t·f_i)], f_i = exp(−ln(10000)·i/128), i < 128. Computed in float32
     * step by step as the reference does, since t reaches 1000 and the float32 rounding of t·f_i is visible.
     */
    static Tensor sinusoid(float[] t) {
        int half = FREQUENCY_SIZE / 2;
        float[] freqs = new float[half];
        float logMax = (float) -Math.log(MAX_PERIOD);
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp((logMax * i) / half);
        }
        Tensor out = Tensor.zeros(t.length, FREQUENCY_SIZE);
        float[] o = out.data();
        for (int b = 0; b < t.length; b++) {
            for (int i = 0; i < half; i++) {
                float arg = t[b] * freqs[i];
                o[b * FREQUENCY_SIZE + i] = (float) Math.cos(arg);
                o[b * FREQUENCY_SIZE + half + i] = (float) Math.sin(arg);
            }
        }
        return out;
    }
}
