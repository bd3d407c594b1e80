package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.Map;
import jsora.nn.Activation;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.testing.Approx;
import jsora.weights.CheckpointException;
import org.junit.jupiter.api.Test;

/** Config parsing, the bucket formula's landmarks, checkpoint key variants and bad inputs. */
class T5ConfigAndInputTest {
    private static final String TINY = "{\"vocab_size\": 32128, \"d_model\": 64, \"d_kv\": 16, \"num_heads\": 4,"
            + " \"d_ff\": 96, \"num_layers\": 2, \"relative_attention_num_buckets\": 32,"
            + " \"relative_attention_max_distance\": 128, \"layer_norm_epsilon\": 1e-06,"
            + " \"feed_forward_proj\": \"gated-gelu\"}";

    private static T5Config parse(String json) {
        return T5Config.fromJson(JsonParser.parseString(json).getAsJsonObject());
    }

    @Test
    void gatedGeluMeansTheTanhApproximation() {
        T5Config c = parse(TINY);
        assertEquals(Activation.GELU_TANH, c.activation);
        assertEquals(64, c.innerDim());
        assertEquals(1e-6f, c.layerNormEpsilon);
        assertEquals(Activation.GELU, parse(TINY.replace("}", ", \"dense_act_fn\": \"gelu\"}")).activation);
    }

    @Test
    void metadataStringsParseLikeTheJson() {
        T5Config c = T5Config.fromMetadata(Map.of("vocab_size", "32128", "d_model", "64", "d_kv", "16", "num_heads", "4",
                "d_ff", "96", "num_layers", "2", "layer_norm_epsilon", "1e-06", "feed_forward_proj", "gated-gelu"));
        assertEquals(parse(TINY).toString(), c.toString());
        assertEquals(T5Config.xxl().toString(), T5Config.fromMetadata(T5Config.xxl().toMetadata()).toString());
    }

    @Test
    void unsupportedOrIncompleteConfigsAreNamed() {
        IllegalArgumentException relu = assertThrows(IllegalArgumentException.class,
                () -> parse(TINY.replace("gated-gelu", "relu")));
        assertTrue(relu.getMessage().contains("feed_forward_proj 'relu'"), relu.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> parse(TINY.replace("\"d_ff\": 96,", "")));
        assertTrue(missing.getMessage().contains("missing 'd_ff'"), missing.getMessage());
        IllegalArgumentException frac = assertThrows(IllegalArgumentException.class,
                () -> parse(TINY.replace("\"num_heads\": 4", "\"num_heads\": 4.5")));
        assertTrue(frac.getMessage().contains("'num_heads' is not a whole number"), frac.getMessage());
    }

    /** The README's landmarks: exact buckets near 0, log buckets further out, saturation beyond max_distance. */
    @Test
    void bucketsOfTheBidirectionalFormula() {
        int[] row0 = new int[17];
        for (int k = 0; k < row0.length; k++) {
            row0[k] = RelativePositionBias.bucket(k, 32, 128);
        }
        assertArrayEquals(new int[] {0, 17, 18, 19, 20, 21, 22, 23, 24, 24, 24, 24, 25, 25, 25, 25, 26}, row0);
        for (int n = 1; n < 8; n++) {
            assertEquals(n, RelativePositionBias.bucket(-n, 32, 128));
        }
        assertEquals(15, RelativePositionBias.bucket(-128, 32, 128));
        assertEquals(14, RelativePositionBias.bucket(-70, 32, 128));
        assertEquals(13, RelativePositionBias.bucket(-60, 32, 128));
        assertEquals(31, RelativePositionBias.bucket(299, 32, 128));
    }

    /** The bias of query q and key k, at [h, q − k + L − 1], is table[bucket(k − q), h]. */
    @Test
    void biasLooksUpTheTablePerHead() {
        Tensor table = Tensor.zeros(32, 2);
        for (int i = 0; i < table.size(); i++) {
            table.data()[i] = i;
        }
        Tensor bias = new RelativePositionBias(table, 128).forward(5);
        assertArrayEquals(new int[] {2, 9}, bias.shape());
        for (int h = 0; h < 2; h++) {
            for (int q = 0; q < 5; q++) {
                for (int k = 0; k < 5; k++) {
                    assertEquals(table.at(RelativePositionBias.bucket(k - q, 32, 128), h), bias.at(h, q - k + 4));
                }
            }
        }
    }

    /** {@code encoder.embed_tokens.weight} alone serves as well as {@code shared.weight}. */
    @Test
    void eitherEmbeddingKeyWorks() {
        T5Config c = new T5Config(50, 12, 4, 3, 20, 1, 32, 128, 1e-6f, Activation.GELU_TANH);
        MapWeights shared = MapWeights.random(c, 11);
        MapWeights copy = MapWeights.random(c, 11);
        copy.tensors.put(T5Embedding.ENCODER_COPY, copy.tensors.remove(T5Embedding.SHARED));
        int[][] ids = {{4, 9, 1}};
        int[][] mask = {{1, 1, 1}};
        try (T5Encoder a = T5Encoder.create(c, shared); T5Encoder b = T5Encoder.create(c, copy)) {
            Approx.assertClose("y", a.encode(ids, mask).y, b.encode(ids, mask).y, 0);
        }
        copy.tensors.remove(T5Embedding.ENCODER_COPY);
        CheckpointException none = assertThrows(CheckpointException.class, () -> T5Encoder.create(c, copy));
        assertTrue(none.getMessage().contains("'shared.weight'") && none.getMessage().contains("embed_tokens"),
                none.getMessage());
    }

    @Test
    void badCheckpointsAndInputsAreNamed() {
        T5Config c = new T5Config(50, 12, 4, 3, 20, 2, 32, 128, 1e-6f, Activation.GELU_TANH);
        MapWeights w = MapWeights.random(c, 5);
        String wo = T5Block.prefix(1) + "layer.1.DenseReluDense.wo.weight";
        w.tensors.put(wo, WeightTensor.of(Tensor.zeros(20, 12)));
        try (T5Encoder encoder = T5Encoder.create(c, w)) {
            CheckpointException shape = assertThrows(CheckpointException.class,
                    () -> encoder.encode(new int[][] {{1}}, new int[][] {{1}}));
            assertTrue(shape.getMessage().contains(wo) && shape.getMessage().contains("[12, 20]"), shape.getMessage());
        }
        try (T5Encoder encoder = T5Encoder.create(c, MapWeights.random(c, 5))) {
            IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                    () -> encoder.encode(new int[][] {{50}}, new int[][] {{1}}));
            assertTrue(id.getMessage().startsWith("test weights: token id 50 is outside the model's vocabulary [0, 50)"),
                    id.getMessage());
            IllegalArgumentException holes = assertThrows(IllegalArgumentException.class,
                    () -> encoder.encode(new int[][] {{3, 4, 1}}, new int[][] {{1, 0, 1}}));
            assertTrue(holes.getMessage().contains("not ones followed by zeros"), holes.getMessage());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> encoder.encode(new int[][] {{0, 0}}, new int[][] {{0, 0}}));
            assertTrue(empty.getMessage().contains("no real token"), empty.getMessage());
            IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                    () -> encoder.encode(new int[][] {{3, 1}, {1}}, new int[][] {{1, 1}, {1}}));
            assertTrue(ragged.getMessage().contains("row 1"), ragged.getMessage());
        }
    }
}
