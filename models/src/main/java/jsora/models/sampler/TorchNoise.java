package jsora.models.sampler;

import jsora.tensor.Tensor;

/**
 * Seeded Gaussian noise, drawn the way PyTorch's CPU generator does it so that a seed means the same noise as
 * {@code torch.manual_seed(seed); torch.randn(shape)} (float32, contiguous, at least 16 values) in the reference:
 * <ol>
 *   <li>MT19937 (32-bit Mersenne Twister) seeded with the low 32 bits of the seed;</li>
 *   <li>one uniform per value: the low 24 bits of a 32-bit draw times 2^-24, in [0, 1);</li>
 *   <li>Box–Muller on blocks of 16: for j &lt; 8, with u1 = 1 − x[j] and u2 = x[j+8], r = sqrt(−2 ln u1), θ = 2π u2,
 *       x[j] = r cos θ and x[j+8] = r sin θ; if the count is not a multiple of 16, the last 16 values are drawn
 *       afresh (16 new uniforms) and transformed again.</li>
 * </ol>
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
        Tensor t = Tensor.zeros(shape);
        new TorchNoise(seed).fillNormal(t.data(), t.offset(), t.size());
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

    /** Fills {@code n >= 16} values with standard normals in PyTorch's order (see the class comment). */
    void fillNormal(float[] d, int off, int n) {
        if (n < 16) {
            throw new IllegalArgumentException("noise needs at least 16 values, got " + n);
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
