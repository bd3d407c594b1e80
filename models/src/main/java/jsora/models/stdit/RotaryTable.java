package jsora.models.stdit;

import jsora.tensor.Tensor;

/**
 * cos/sin tables [L, D] for rotary_embedding_torch's {@code rotate_queries_or_keys}: angle(p, 2i) = angle(p, 2i+1) =
 * p·freqs[i] (float32), positions 0..L−1, with {@code freqs} the checkpoint's {@code rope.freqs} [D/2].
 */
final class RotaryTable {
    final Tensor cos;
    final Tensor sin;

    private RotaryTable(Tensor cos, Tensor sin) {
        this.cos = cos;
        this.sin = sin;
    }

    static RotaryTable of(Tensor freqs, int length) {
        int d = freqs.size() * 2;
        Tensor cos = Tensor.zeros(length, d);
        Tensor sin = Tensor.zeros(length, d);
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < d / 2; i++) {
                float a = (float) p * freqs.data()[freqs.offset() + i];
                float c = (float) Math.cos(a);
                float s = (float) Math.sin(a);
                cos.data()[p * d + 2 * i] = c;
                cos.data()[p * d + 2 * i + 1] = c;
                sin.data()[p * d + 2 * i] = s;
                sin.data()[p * d + 2 * i + 1] = s;
            }
        }
        return new RotaryTable(cos, sin);
    }
}
