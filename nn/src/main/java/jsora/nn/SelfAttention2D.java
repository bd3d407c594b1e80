package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Attention;
import jsora.tensor.kernels.Elementwise;
import jsora.tensor.kernels.Gemm;

/**
 * The self-attention block of diffusers' UNetMidBlock2D (an {@code Attention} with a group norm, residual connection
 * and rescale factor 1): the H·W positions of a feature map attend to each other,
 * {@code out = x + to_out(sdpa(to_q(n), to_k(n), to_v(n)))} with {@code n = group_norm(x)} seen as H·W tokens of
 * C channels, split into {@code heads} heads.
 */
public final class SelfAttention2D {
    private final GroupNorm groupNorm;
    private final WeightTensor toQ;
    private final Tensor toQBias;
    private final WeightTensor toK;
    private final Tensor toKBias;
    private final WeightTensor toV;
    private final Tensor toVBias;
    private final WeightTensor toOut;
    private final Tensor toOutBias;
    private final int heads;

    /** Projections are Linear weights [C, C] with biases [C]. */
    public SelfAttention2D(GroupNorm groupNorm, int heads, WeightTensor toQ, Tensor toQBias, WeightTensor toK,
            Tensor toKBias, WeightTensor toV, Tensor toVBias, WeightTensor toOut, Tensor toOutBias) {
        if (toQ.dim(0) % heads != 0) {
            throw new IllegalArgumentException("attention: " + toQ.dim(0) + " channels do not split into " + heads
                    + " heads");
        }
        this.groupNorm = groupNorm;
        this.heads = heads;
        this.toQ = toQ;
        this.toQBias = toQBias;
        this.toK = toK;
        this.toKBias = toKBias;
        this.toV = toV;
        this.toVBias = toVBias;
        this.toOut = toOut;
        this.toOutBias = toOutBias;
    }

    /** x[N, C, H, W] → [N, C, H, W]; x is left unchanged. */
    public Tensor forward(Tensor x) {
        int n = x.dim(0);
        int c = x.dim(1);
        int l = x.dim(2) * x.dim(3);
        Tensor tokens = transposeLast2(groupNorm.forward(x).reshape(n, c, l));
        Tensor q = headsFirst(project(tokens, toQ, toQBias));
        Tensor k = headsFirst(project(tokens, toK, toKBias));
        Tensor v = headsFirst(project(tokens, toV, toVBias));
        Tensor attended = Tensor.zeros(q.shape());
        Attention.sdpa(q, k, v, attended, null);
        Tensor out = project(headsLast(attended), toOut, toOutBias);
        Tensor result = transposeLast2(out).reshape(x.shape());
        Elementwise.add(result, x, result);
        return result;
    }

    private static Tensor project(Tensor tokens, WeightTensor w, Tensor b) {
        Tensor y = Tensor.zeros(tokens.dim(0), tokens.dim(1), w.dim(0));
        Gemm.linear(tokens, w, b, y);
        return y;
    }

    /** [N, L, heads·D] → [N, heads, L, D]. */
    private Tensor headsFirst(Tensor t) {
        int n = t.dim(0);
        int l = t.dim(1);
        int d = t.dim(2) / heads;
        if (heads == 1) {
            return t.reshape(n, 1, l, d);
        }
        Tensor out = Tensor.zeros(n, heads, l, d);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < l; i++) {
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(t.data(), t.offset() + ((b * l + i) * heads + h) * d, out.data(),
                            ((b * heads + h) * l + i) * d, d);
                }
            }
        }
        return out;
    }

    /** [N, heads, L, D] → [N, L, heads·D]. */
    private Tensor headsLast(Tensor t) {
        int n = t.dim(0);
        int l = t.dim(2);
        int d = t.dim(3);
        if (heads == 1) {
            return t.reshape(n, l, d);
        }
        Tensor out = Tensor.zeros(n, l, heads * d);
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < l; i++) {
                    System.arraycopy(t.data(), t.offset() + ((b * heads + h) * l + i) * d, out.data(),
                            ((b * l + i) * heads + h) * d, d);
                }
            }
        }
        return out;
    }

    /** [N, A, B] → [N, B, A] (channels-first feature map ↔ tokens). */
    private static Tensor transposeLast2(Tensor t) {
        int n = t.dim(0);
        int a = t.dim(1);
        int b = t.dim(2);
        Tensor out = Tensor.zeros(n, b, a);
        float[] src = t.data();
        float[] dst = out.data();
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < a; i++) {
                int from = t.offset() + (s * a + i) * b;
                for (int j = 0; j < b; j++) {
                    dst[(s * b + j) * a + i] = src[from + j];
                }
            }
        }
        return out;
    }
}
