package jsora.models.vae;

import java.util.List;
import jsora.tensor.Tensor;

/**
 * The time axis of video tensors [B, C, T, H, W]: copies of pieces along it, joins, padding at the front, and
 * frame batches [n, C, H, W].
 */
final class TimeAxis {
    private TimeAxis() {
    }

    /** Frames [from, to) of x, as a new [B, C, to − from, H, W] tensor. */
    static Tensor sliceTime(Tensor x, int from, int to) {
        int b = x.dim(0);
        int c = x.dim(1);
        int t = x.dim(2);
        int plane = x.dim(3) * x.dim(4);
        Tensor out = Tensor.zeros(b, c, to - from, x.dim(3), x.dim(4));
        for (int bc = 0; bc < b * c; bc++) {
            System.arraycopy(x.data(), x.offset() + (bc * t + from) * plane, out.data(), bc * (to - from) * plane,
                    (to - from) * plane);
        }
        return out;
    }

    /** The pieces joined along time. */
    static Tensor catTime(List<Tensor> parts) {
        Tensor first = parts.get(0);
        int b = first.dim(0);
        int c = first.dim(1);
        int plane = first.dim(3) * first.dim(4);
        int total = 0;
        for (Tensor p : parts) {
            total += p.dim(2);
        }
        Tensor out = Tensor.zeros(b, c, total, first.dim(3), first.dim(4));
        int at = 0;
        for (Tensor p : parts) {
            int t = p.dim(2);
            for (int bc = 0; bc < b * c; bc++) {
                System.arraycopy(p.data(), p.offset() + bc * t * plane, out.data(), (bc * total + at) * plane,
                        t * plane);
            }
            at += t;
        }
        return out;
    }

    /** x with {@code n} zero frames put in front of time. */
    static Tensor padTimeFront(Tensor x, int n) {
        if (n == 0) {
            return x;
        }
        int b = x.dim(0);
        int c = x.dim(1);
        int t = x.dim(2);
        int plane = x.dim(3) * x.dim(4);
        Tensor out = Tensor.zeros(b, c, t + n, x.dim(3), x.dim(4));
        for (int bc = 0; bc < b * c; bc++) {
            System.arraycopy(x.data(), x.offset() + bc * t * plane, out.data(), (bc * (t + n) + n) * plane, t * plane);
        }
        return out;
    }

    /**
     * Frames [from, to) of x[B, C, T, H, W] counted over (B T), as a batch [to − from, C, H, W]
     * (the rearrange "B C T H W -> (B T) C H W", one micro-batch of it).
     */
    static Tensor frames(Tensor x, int from, int to) {
        int c = x.dim(1);
        int t = x.dim(2);
        int plane = x.dim(3) * x.dim(4);
        Tensor out = Tensor.zeros(to - from, c, x.dim(3), x.dim(4));
        for (int f = from; f < to; f++) {
            int b = f / t;
            int ft = f % t;
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(x.data(), x.offset() + ((b * c + ch) * t + ft) * plane, out.data(),
                        ((f - from) * c + ch) * plane, plane);
            }
        }
        return out;
    }

    /** Writes a batch y[n, C, H, W] as frames [from, from + n) over (B T) of dst[B, C, T, H, W] (the inverse). */
    static void putFrames(Tensor dst, int from, Tensor y) {
        int c = dst.dim(1);
        int t = dst.dim(2);
        int plane = dst.dim(3) * dst.dim(4);
        for (int i = 0; i < y.dim(0); i++) {
            int f = from + i;
            int b = f / t;
            int ft = f % t;
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(y.data(), y.offset() + (i * c + ch) * plane, dst.data(),
                        dst.offset() + ((b * c + ch) * t + ft) * plane, plane);
            }
        }
    }
}
