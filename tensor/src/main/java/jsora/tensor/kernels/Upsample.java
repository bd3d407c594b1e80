package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Nearest-neighbour upsampling by integer factors (F.interpolate mode="nearest"). Each input row is widened once
 * with a lane shuffle (lane i takes input lane i / f, when f divides the lane count; a plain loop on SVE, see
 * {@link JitSupport}), then copied to the f·ft output rows it covers.
 */
public final class Upsample {
    private Upsample() {
    }

    /** x[N, C, T, H, W] → out[N, C, T·ft, H·fs, W·fs], each value repeated. */
    public static void nearest3d(Tensor x, int ft, int fs, Tensor out) {
        if (ft < 1 || fs < 1) {
            throw new IllegalArgumentException("upsample: factors must be >= 1, got " + ft + ", " + fs);
        }
        int nc = x.dim(0) * x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int w = x.dim(4);
        int ot = t * ft;
        int oh = h * fs;
        int ow = w * fs;
        if (out.size() != nc * ot * oh * ow) {
            throw new IllegalArgumentException("upsample: output " + out + " does not match " + x + " x(" + ft
                    + ", " + fs + ", " + fs + ")");
        }
        float[] xa = x.data();
        float[] oa = out.data();
        int lanes = SPECIES.length();
        // the shuffle needs lanes % fs == 0, and on SVE (JDK 17) it would run per lane in Java: plain copies there
        boolean vectorOk = lanes % fs == 0 && !JitSupport.SVE;
        VectorShuffle<Float> widen = VectorShuffle.fromOp(SPECIES, i -> i / fs);
        Parallel.forRange(nc * t * h, Math.max(1, 4096 / Math.max(1, ow)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int y = r % h;
                int pt = r / h;
                int src = x.offset() + r * w;
                int dst = out.offset() + ((pt * ft) * oh + y * fs) * ow;
                int zx = 0;
                for (; vectorOk && zx <= ow - lanes && zx / fs + lanes <= w; zx += lanes) {
                    FloatVector.fromArray(SPECIES, xa, src + zx / fs).rearrange(widen).intoArray(oa, dst + zx);
                }
                for (; zx < ow; zx++) {
                    oa[dst + zx] = xa[src + zx / fs];
                }
                for (int dy = 1; dy < fs; dy++) {
                    System.arraycopy(oa, dst, oa, dst + dy * ow, ow);
                }
                for (int dt = 1; dt < ft; dt++) {
                    for (int dy = 0; dy < fs; dy++) {
                        System.arraycopy(oa, dst, oa, dst + (dt * oh + dy) * ow, ow);
                    }
                }
            }
        });
    }

    /** x[N, C, H, W] → out[N, C, H·f, W·f]. */
    public static void nearest2d(Tensor x, int f, Tensor out) {
        nearest3d(x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)), 1, f,
                out.reshape(out.dim(0), out.dim(1), 1, out.dim(2), out.dim(3)));
    }
}
