package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Norms against the double reference; tolerance 2e-5 · max(1, max|expected|). */
class NormsTest {
    private static final double TOL = 2e-5;

    @Property(tries = 40)
    void layerNormMatchesReference(@ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 300) int c, @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        // an offset mean makes the two-pass variance matter
        Tensor x = Ref.randn(r, 3, rows, c);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] += 50f;
        }
        Tensor gamma = affine ? Ref.randn(r, 1, c) : null;
        Tensor beta = affine ? Ref.randn(r, 1, c) : null;
        Tensor expected = Ref.layerNorm(x, gamma, beta, 1e-6);
        Tensor out = Tensor.zeros(rows, c);
        Norms.layerNorm(x, gamma, beta, 1e-6f, out);
        Approx.assertClose("layerNorm " + SPECIES, expected, out, TOL);
    }

    @Property(tries = 40)
    void rmsNormMatchesReference(@ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 300) int c, @ForAll boolean weighted, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Ref.randn(r, 3, rows, c);
        Tensor w = weighted ? Ref.randn(r, 1, c) : null;
        Tensor expected = Ref.rmsNorm(x, w, 1e-6);
        Tensor out = x.copy();
        Norms.rmsNorm(out, w, 1e-6f, out);
        Approx.assertClose("rmsNorm " + SPECIES, expected, out, TOL);
    }

    @Property(tries = 30)
    void groupNormMatchesReference(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 4) int groups,
            @ForAll @IntRange(min = 1, max = 3) int perGroup, @ForAll @IntRange(min = 1, max = 70) int spatial,
            @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        int c = groups * perGroup;
        Tensor x = Ref.randn(r, 2, n, c, spatial);
        Tensor gamma = affine ? Ref.randn(r, 1, c) : null;
        Tensor beta = affine ? Ref.randn(r, 1, c) : null;
        Tensor expected = Ref.groupNorm(x, groups, gamma, beta, 1e-6);
        Tensor out = Tensor.zeros(n, c, spatial);
        Norms.groupNorm(x, groups, gamma, beta, 1e-6f, out);
        Approx.assertClose("groupNorm " + SPECIES, expected, out, TOL);
    }

    @Test
    void lengthOneRows() {
        Tensor x = Ref.of(new float[] {3f, -2f}, 2, 1);
        Tensor beta = Ref.of(new float[] {0.25f}, 1);
        Tensor out = Tensor.zeros(2, 1);
        Norms.layerNorm(x, null, beta, 1e-5f, out);
        assertArrayEquals(new float[] {0.25f, 0.25f}, out.toArray());
        Norms.rmsNorm(x, null, 0f, out);
        assertArrayEquals(new float[] {1f, -1f}, out.toArray());
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        Tensor x = Ref.randn(new Random(2), 1, 2, 64, 1000);
        for (int variant = 0; variant < 3; variant++) {
            Tensor a = Tensor.zeros(2, 64, 1000);
            Tensor b = Tensor.zeros(2, 64, 1000);
            int v = variant;
            Runnable[] runs = {() -> Norms.layerNorm(x, null, null, 1e-6f, a), () -> Norms.rmsNorm(x, null, 1e-6f, a),
                () -> Norms.groupNorm(x, 32, null, null, 1e-6f, a)};
            Runnable[] runsB = {() -> Norms.layerNorm(x, null, null, 1e-6f, b), () -> Norms.rmsNorm(x, null, 1e-6f, b),
                () -> Norms.groupNorm(x, 32, null, null, 1e-6f, b)};
            Ref.withThreads(1, runs[v]);
            Ref.withThreads(3, runsB[v]);
            assertArrayEquals(a.toArray(), b.toArray());
        }
    }
}
