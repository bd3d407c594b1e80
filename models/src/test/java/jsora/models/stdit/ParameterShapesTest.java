package jsora.models.stdit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.StorageType;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** STDiT3Config.parameterShapes is exactly what the model reads and what the reference saves. */
class ParameterShapesTest {
    private static void assertSameShapes(Map<String, int[]> expected, Map<String, int[]> actual) {
        assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(actual).keySet());
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void sameKeysAndShapesAsTheModelRequests() {
        for (boolean qkNorm : new boolean[] {true, false}) {
            STDiT3Config c = new STDiT3Config(32, 2, 2, 2.0, 4, new int[] {1, 2, 2}, 16, 6, 512, true, qkNorm, 0);
            Map<String, int[]> requested = new LinkedHashMap<>();
            RandomParams random = new RandomParams(1);
            STDiT3.create(c, (key, shape) -> {
                requested.put(key, shape.clone());
                return random.weight(key, shape);
            });
            assertSameShapes(requested, c.parameterShapes());
        }
    }

    @Test
    @Tag("golden")
    void sameKeysAndShapesAsTheGoldenCheckpoints() {
        for (Path dir : Golden.cases("stdit3-")) {
            STDiT3Config c = STDiT3Config.read(dir.resolve("config.json"));
            Map<String, int[]> saved = new LinkedHashMap<>();
            try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
                for (String k : ckpt.keys()) {
                    saved.put(k, ckpt.info(k).shape);
                }
            }
            assertSameShapes(saved, c.parameterShapes());
        }
    }

    /** The fp32 cases' buffers (the 16-bit cases store it rounded). */
    @Test
    void ropeFrequenciesMatchTheGoldenBuffer() {
        for (Path dir : Golden.cases("stdit3-tiny")) {
            STDiT3Config c = STDiT3Config.read(dir.resolve("config.json"));
            try (Checkpoint ckpt = Checkpoints.open(dir.resolve("model.safetensors"))) {
                if (ckpt.info("rope.freqs").type() == StorageType.F32) {
                    assertArrayEquals(ckpt.tensor("rope.freqs").toArray(), c.ropeFrequencies());
                }
            }
        }
    }
}
