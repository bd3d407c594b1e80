package jsora.models.sampler;

import jsora.tensor.Tensor;

/**
 * Seeded Gaussian noise, drawn the way PyTorch's CPU generator does it so that a seed means the same noise as
 * {@code torch.manual_seed(seed); torch.randn(shape)} (float32, contiguous) in the reference; from 16 values on:
 * <ol>
 *   <li>MT19937 (32-bit Mersenne Twister) seeded with the low 32 bits of the seed;</li>
 *   <li>one uniform per value: the low 24 bits of a 32-bit draw times 2^-24, in [0, 1);</li>
 *   <li>Box–Muller on blocks of 16: for j &lt; 8, with u1 = 1 − x[j] and u2 = x[j+8], r = sqrt(−2 ln u1), θ = 2π u2,
 *       x[j] = r cos θ and x[j+8] = r sin θ; if the count is not a multiple of 16, the last 16 values are drawn
 *       afresh (16 new uniforms) and transformed again.</li>
 * </ol>
 * Fewer than 16 values (a latent as small as 1 × 4 × 1 × 1 × 1, e.g. one frame of 8×8) take PyTorch's serial path
 * instead, {@code at::normal_distribution<double>} value by value: u1, u2 uniform doubles from 53 bits of a 64-bit
 * draw (two 32-bit outputs, the first the high half), r = sqrt(−2 log1p(−u2)), θ = 2π u1; the value is r cos θ, and
 * r sin θ is kept for the next value, which takes it instead of drawing.
 * The transcendental functions are evaluated in double and rounded to float32, so values agree with PyTorch's
 * (whose vectorised path uses its own float approximations) to within a few float32 ulps, not always bit for bit.
 * Deterministic and single-threaded: the same seed gives the same bits on every machine and thread count.
 */
public final class TorchNoise {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] state = new int[N];
    private int index = N;

    public TorchNoise(long seed) {
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
    }

    /** A tensor of standard normal values with the given shape. */
    public static Tensor randn(long seed, int... shape) {
        return new TorchNoise(seed).next(shape);
    }

    /**
     * The next {@code torch.randn(shape)} (or {@code randn_like}) from this generator's stream: after
     * {@code torch.manual_seed(seed)}, a draw of n &gt;= 16 values takes n uniforms (n + 16 if n is no multiple of 16),
     * so consecutive calls here give consecutive draws there.
     */
    public Tensor next(int... shape) {
        Tensor t = Tensor.zeros(shape);
        fillNormal(t.data(), t.offset(), t.size());
        return t;
    }

    /** The next 32-bit output of MT19937. */
    int nextInt() {
        if (index >= N) {
            twist();
        }
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
            int next = state[(k + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                next ^= 0x9908b0df;
            }
            state[k] = next;
        }
        index = 0;
    }

    /** A uniform float in [0, 1) from 24 random bits, as torch's uniform_real_distribution&lt;float&gt;. */
    float nextUniform() {
        return (nextInt() & 0xFFFFFF) * 0x1p-24f;
    }

    /** A uniform double in [0, 1) from the low 53 bits of a 64-bit draw, as uniform_real_distribution&lt;double&gt;. */
    double nextUniform53() {
        long hi = nextInt() & 0xFFFFFFFFL;
        long lo = nextInt() & 0xFFFFFFFFL;
        return ((hi << 32 | lo) & ((1L << 53) - 1)) * 0x1p-53;
    }

    /** Fills {@code n} values with standard normals in PyTorch's order (see the class comment). */
    void fillNormal(float[] d, int off, int n) {
        if (n < 16) {
            fillNormalSerial(d, off, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            d[off + i] = nextUniform();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(d, off + i);
        }
        if (n % 16 != 0) {
            int tail = off + n - 16;
            for (int i = 0; i < 16; i++) {
                d[tail + i] = nextUniform();
            }
            boxMuller16(d, tail);
        }
    }

    /** PyTorch's path for fewer than 16 values: one Box–Muller pair in double per two values, the sine cached. */
    private void fillNormalSerial(float[] d, int off, int n) {
        for (int i = 0; i < n; i += 2) {
            double u1 = nextUniform53();
            double u2 = nextUniform53();
            double r = Math.sqrt(-2.0 * Math.log1p(-u2));
            double theta = 2.0 * Math.PI * u1;
            d[off + i] = (float) (r * Math.cos(theta));
            if (i + 1 < n) {
                d[off + i + 1] = (float) (r * Math.sin(theta));
            }
        }
    }

    private static void boxMuller16(float[] d, int at) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1f - d[at + j];
            float u2 = d[at + j + 8];
            float radius = (float) Math.sqrt(-2.0 * (float) Math.log(u1));
            float theta = (float) (2.0 * Math.PI * u2);
            d[at + j] = radius * (float) Math.cos(theta);
            d[at + j + 8] = radius * (float) Math.sin(theta);
        }
    }
}
