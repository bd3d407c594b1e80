package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jsora.nn.Activation;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Encoding only the real tokens gives what the padded computation gives at the real positions (and zeros at the
 * padded ones), whatever the padding ids: a padded key's logit is float32's lowest value, so its softmax weight is
 * exactly 0, and every other step works row by row. Tolerance 1e-6 · max(1, max|y|) (on the golden cases the two
 * paths show the same error against the reference).
 */
class T5RealTokensTest {
    private static final int VOCAB = 50;

    private static T5Config tiny(int heads, int dKv, int layers) {
        return new T5Config(VOCAB, 12, dKv, heads, 20, layers, 32, 128, 1e-6f, Activation.GELU_TANH);
    }

    @Property(tries = 15)
    void realTokensMatchThePaddedPath(@ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 40) int length, @ForAll @IntRange(min = 1, max = 3) int heads,
            @ForAll @IntRange(min = 2, max = 6) int dKv, @ForAll @IntRange(min = 1, max = 2) int layers,
            @ForAll long seed) {
        T5Config c = tiny(heads, dKv, layers);
        SplittableRandom r = new SplittableRandom(seed);
        MapWeights w = MapWeights.random(c, seed);
        int[][] ids = new int[batch][length];
        int[][] mask = new int[batch][length];
        for (int b = 0; b < batch; b++) {
            int real = 1 + r.nextInt(length);
            for (int k = 0; k < length; k++) {
                ids[b][k] = r.nextInt(VOCAB);
                mask[b][k] = k < real ? 1 : 0;
            }
        }
        try (T5Encoder encoder = T5Encoder.create(c, w)) {
            T5Output padded = encoder.encode(ids, mask, T5Encoder.Layout.PADDED, (k, v) -> { });
            T5Output real = encoder.encode(ids, mask);
            Approx.assertClose("real tokens vs padded", T5EncoderGoldenTest.realRowsOnly(padded.y, mask), real.y, 1e-6);
            Approx.assertClose("mask", padded.mask, real.mask, 0);
            for (int b = 0; b < batch; b++) {
                assertEquals(padded.length(b), real.length(b));
            }
        }
    }

    /** The encoder takes each block once per pass, in order, right before running it (the streaming seam). */
    @Test
    void blocksAreTakenOnceEachInOrder() {
        T5Config c = tiny(2, 4, 3);
        MapWeights w = MapWeights.random(c, 7);
        List<Integer> taken = new ArrayList<>();
        List<String> events = new ArrayList<>();
        T5Blocks recording = new T5Blocks() {
            @Override
            public int count() {
                return c.numLayers;
            }

            @Override
            public T5Block block(int i) {
                taken.add(i);
                events.add("take " + i);
                return T5Block.load(w, c, i);
            }
        };
        try (T5Encoder encoder = T5Encoder.create(c, w, recording)) {
            encoder.encode(new int[][] {{3, 4, 1}}, new int[][] {{1, 1, 1}}, T5Encoder.Layout.REAL_TOKENS,
                    (name, v) -> events.add(name));
            encoder.encode(new int[][] {{3, 1, 0}}, new int[][] {{1, 1, 0}});
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2), taken);
        assertEquals(List.of("embeddings", "take 0", "block_0_after_attention", "block_0_output", "take 1",
                "block_1_after_attention", "block_1_output", "take 2", "block_2_after_attention", "block_2_output",
                "last_hidden_state", "take 0", "take 1", "take 2"), events);
    }

    /** Shape [B, 1, L, d]: what STDiT3 takes as y. */
    @Test
    void outputHasOpenSorasLayout() {
        T5Config c = tiny(2, 4, 1);
        try (T5Encoder encoder = T5Encoder.create(c, MapWeights.random(c, 3))) {
            T5Output out = encoder.encode(new int[][] {{5, 1, 0, 0}, {6, 7, 8, 1}}, new int[][] {{1, 1, 0, 0}, {1, 1, 1, 1}});
            assertEquals(List.of(2, 1, 4, 12), List.of(out.y.dim(0), out.y.dim(1), out.y.dim(2), out.y.dim(3)));
            Approx.assertClose("mask", Tensor.wrap(new float[] {1, 1, 0, 0, 1, 1, 1, 1}, new int[] {2, 4}), out.mask, 0);
            assertEquals(2, out.length(0));
            assertEquals(4, out.length(1));
        }
    }
}
