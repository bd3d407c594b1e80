package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Attention against the double-precision reference; tolerance 1e-5 · max(1, max|expected|). The random shapes
 * cross the kernel's query blocks ({@value Attention#QUERY_BLOCK} rows), key tiles ({@value Attention#KEY_TILE}
 * keys) and 12-wide slivers, and include the models' head sizes (64, 72).
 */
class AttentionTest {
    private static final double TOL = 1e-5;

    @Property(tries = 25)
    void matchesReference(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 1, max = 3) int h,
            @ForAll @IntRange(min = 1, max = 220) int lq, @ForAll @IntRange(min = 1, max = 420) int lk,
            @ForAll @IntRange(min = 1, max = 80) int d, @ForAll @IntRange(min = 1, max = 80) int dv,
            @ForAll boolean bias, @ForAll boolean mask, @ForAll boolean lengths, @ForAll boolean t5,
            @ForAll long seed) {
        Random r = new Random(seed);
        Tensor q = Ref.randn(r, 1.5, b, h, lq, d);
        Tensor k = Ref.randn(r, 1.5, b, h, lk, d);
        Tensor v = Ref.randn(r, 1, b, h, lk, dv);
        Attention.Options o = new Attention.Options();
        if (bias) {
            o.relativeBias(Ref.randn(r, 2, h, lq + lk - 1));
        }
        if (mask) {
            Tensor m = Ref.randn(r, 1, b, lk);
            m.put(Float.NEGATIVE_INFINITY, 0, r.nextInt(lk));
            o.keyMask(m);
        }
        if (lengths) {
            int[] len = new int[b];
            for (int i = 0; i < b; i++) {
                len[i] = r.nextInt(lk + 2);
            }
            o.keyLengths(len);
        }
        if (t5) {
            o.scale(1f);
        }
        Tensor expected = Ref.sdpa(q, k, v, o);
        Tensor out = Tensor.zeros(b, h, lq, dv);
        out.fill(Float.NaN);
        Attention.sdpa(q, k, v, out, o);
        Approx.assertClose("sdpa " + SPECIES, expected, out, TOL);
    }

    /**
     * q, k, v read from a fused projection's token layout [B, L, 3·H·D] and the output written in token layout
     * [B, L, H·D] ({@link HeadView#tokens}) give the bits of the same attention on contiguous [B, H, L, D] copies.
     */
    @Property(tries = 25)
    void tokenLayoutGivesTheSameBits(@ForAll @IntRange(min = 1, max = 2) int b,
            @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 1, max = 130) int l, @ForAll @IntRange(min = 1, max = 80) int d,
            @ForAll boolean lengths, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor qkv = Ref.randn(r, 1.5, b, l, 3 * h * d);
        Tensor[] parts = new Tensor[3];
        for (int p = 0; p < 3; p++) {
            parts[p] = Tensor.zeros(b, h, l, d);
            for (int bi = 0; bi < b; bi++) {
                for (int hi = 0; hi < h; hi++) {
                    for (int li = 0; li < l; li++) {
                        for (int c = 0; c < d; c++) {
                            parts[p].put(qkv.at(bi, li, (p * h + hi) * d + c), bi, hi, li, c);
                        }
                    }
                }
            }
        }
        Attention.Options o = new Attention.Options();
        if (lengths) {
            int[] len = new int[b];
            for (int i = 0; i < b; i++) {
                len[i] = r.nextInt(l + 1);
            }
            o.keyLengths(len);
        }
        Tensor expected = Tensor.zeros(b, h, l, d);
        Attention.sdpa(parts[0], parts[1], parts[2], expected, o);
        Tensor out = Tensor.zeros(b, l, h * d);
        out.fill(Float.NaN);
        Attention.sdpa(HeadView.tokens(qkv, 3, 0, h), HeadView.tokens(qkv, 3, 1, h), HeadView.tokens(qkv, 3, 2, h),
                HeadView.tokens(out, 1, 0, h), o);
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                for (int li = 0; li < l; li++) {
                    for (int c = 0; c < d; c++) {
                        assertEquals(expected.at(bi, hi, li, c), out.at(bi, li, hi * d + c),
                                "b " + bi + " h " + hi + " l " + li + " c " + c);
                    }
                }
            }
        }
    }

    /** The released models' head sizes: values read in place (Dv 72, a multiple of 12) and packed (Dv 64). */
    @Test
    void modelHeadSizes() {
        Random r = new Random(13);
        for (int dv : new int[] {72, 64}) {
            Tensor q = Ref.randn(r, 1, 2, 2, 101, dv);
            Tensor k = Ref.randn(r, 1, 2, 2, 37, dv);
            Tensor v = Ref.randn(r, 1, 2, 2, 37, dv);
            Attention.Options o = new Attention.Options().keyLengths(new int[] {37, 20});
            Tensor expected = Ref.sdpa(q, k, v, o);
            Tensor out = Tensor.zeros(2, 2, 101, dv);
            Attention.sdpa(q, k, v, out, o);
            Approx.assertClose("sdpa Dv " + dv + " " + SPECIES, expected, out, TOL);
        }
    }

    /** Logits far apart across key tiles exercise the online rescaling (a later tile with a much larger maximum). */
    @Test
    void largeLogitsAcrossKeyTiles() {
        Random r = new Random(7);
        int lk = 3 * Attention.KEY_TILE + 5;
        Tensor q = Ref.randn(r, 4, 1, 2, 9, 16);
        Tensor k = Ref.randn(r, 4, 1, 2, lk, 16);
        Tensor v = Ref.randn(r, 1, 1, 2, lk, 16);
        Attention.Options o = new Attention.Options().scale(1f);
        Tensor expected = Ref.sdpa(q, k, v, o);
        Tensor out = Tensor.zeros(1, 2, 9, 16);
        Attention.sdpa(q, k, v, out, o);
        Approx.assertClose("sdpa " + SPECIES, expected, out, TOL);
    }

    @Test
    void fullyMaskedRowsFollowTheDocumentedRule() {
        Random r = new Random(3);
        int lk = 10;
        Tensor q = Ref.randn(r, 1, 3, 2, 4, 8);
        Tensor k = Ref.randn(r, 1, 3, 2, lk, 8);
        Tensor v = Ref.randn(r, 1, 3, 2, lk, 8);
        Tensor mask = Tensor.zeros(3, lk);
        for (int j = 0; j < lk; j++) {
            mask.put(Float.NEGATIVE_INFINITY, 1, j);
            mask.put(-Float.MAX_VALUE, 2, j);
        }
        Attention.Options o = new Attention.Options().keyMask(mask).keyLengths(new int[] {0, lk, lk});
        Tensor out = Tensor.zeros(3, 2, 4, 8);
        out.fill(Float.NaN);
        Attention.sdpa(q, k, v, out, o);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 8; c++) {
                    assertEquals(0f, out.at(0, h, i, c), "key length 0 gives zeros");
                    assertEquals(0f, out.at(1, h, i, c), "an all -inf mask gives zeros");
                    double mean = 0;
                    for (int j = 0; j < lk; j++) {
                        mean += v.at(2, h, j, c) / lk;
                    }
                    assertEquals(mean, out.at(2, h, i, c), 1e-6, "an all -MAX_VALUE mask averages the values");
                }
            }
        }
    }

    @Test
    void lengthOneSequences() {
        Random r = new Random(5);
        Tensor q = Ref.randn(r, 1, 1, 1, 1, 3);
        Tensor k = Ref.randn(r, 1, 1, 1, 1, 3);
        Tensor v = Ref.randn(r, 1, 1, 1, 1, 3);
        Tensor out = Tensor.zeros(1, 1, 1, 3);
        Attention.sdpa(q, k, v, out, null);
        assertArrayEquals(v.toArray(), out.toArray(), "one key: the output is its value");
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        Random r = new Random(11);
        Tensor q = Ref.randn(r, 1, 2, 3, 150, 24);
        Tensor k = Ref.randn(r, 1, 2, 3, 200, 24);
        Tensor v = Ref.randn(r, 1, 2, 3, 200, 24);
        Attention.Options o = new Attention.Options().relativeBias(Ref.randn(r, 1, 3, 349))
                .keyLengths(new int[] {200, 77});
        float[][] results = new float[3][];
        for (int t = 1; t <= 3; t++) {
            Tensor out = Tensor.zeros(2, 3, 150, 24);
            Ref.withThreads(t, () -> Attention.sdpa(q, k, v, out, o));
            results[t - 1] = out.toArray();
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
    }
}
