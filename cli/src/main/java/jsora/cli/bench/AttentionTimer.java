package jsora.cli.bench;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Attention;

/**
 * {@link Attention#sdpa} on random q [B, H, Lq, D], k and v [B, H, Lk, D]; 4·B·H·Lq·Lk·D flops per call
 * (q·kᵀ and p·v), optionally with T5's unscaled logits plus a position bias by offset [H, Lq + Lk − 1].
 */
final class AttentionTimer {
    private final double flops;
    private final Tensor q;
    private final Tensor k;
    private final Tensor v;
    private final Tensor out;
    private final Attention.Options options;

    AttentionTimer(int b, int h, int lq, int lk, int d, boolean t5) {
        flops = 4.0 * b * h * lq * lk * d;
        Random rnd = new Random(42);
        q = Tensor.wrap(Timer.random(rnd, b * h * lq * d), new int[] {b, h, lq, d});
        k = Tensor.wrap(Timer.random(rnd, b * h * lk * d), new int[] {b, h, lk, d});
        v = Tensor.wrap(Timer.random(rnd, b * h * lk * d), new int[] {b, h, lk, d});
        out = Tensor.zeros(b, h, lq, d);
        options = new Attention.Options();
        if (t5) {
            int offsets = lq + lk - 1;
            options.scale(1f).relativeBias(Tensor.wrap(Timer.random(rnd, h * offsets), new int[] {h, offsets}));
        }
    }

    Timer.Result time(int warmups, double warmupSeconds, int runs) {
        return Timer.time(() -> Attention.sdpa(q, k, v, out, options), flops, warmups, warmupSeconds, runs);
    }
}
