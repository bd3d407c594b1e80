package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.OutputType;
import jsora.weights.RandomCheckpoint;
import jsora.weights.SafeTensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsora convert --dtype f16|bf16} of float32 values beyond the output type's range: the conversion succeeds,
 * the values become ±inf, and stderr names each tensor concerned with its count and largest |x|, then the total.
 */
class ConvertOverflowTest {
    private static final String W0 = "model.layers.0.w";
    private static final String W1 = "model.layers.1.w";
    /** A key outside model., so that the prefix is kept and the warnings name the keys as stored. */
    private static final String HEAD = "lm_head.weight";

    @TempDir
    Path dir;

    private final CommandRunner jsora = new CommandRunner();

    /** A float32 safetensors file holding {@code values} (key → values, in this order). */
    private Path checkpoint(Map<String, float[]> values) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        values.forEach((k, v) -> shapes.put(k, new int[] {v.length}));
        Path src = dir.resolve("src.safetensors");
        SafeTensorsWriter.write(src, new RandomCheckpoint(shapes, values, DType.F32, 1, Map.of()),
                List.copyOf(shapes.keySet()), OutputType.keep(), Map.of());
        return src;
    }

    private static Map<String, float[]> ordered(Object... keysAndValues) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (float[]) keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void fp16OverflowsAreNamedPerTensorWithATotal() {
        // 65504 is fp16's largest value; 65520 is the midpoint to 2^16 and rounds to even, to inf; NaN and inf were
        // not finite to begin with
        Path src = checkpoint(ordered(HEAD, new float[] {1f, 2f},
                W0, new float[] {70000f, -1e38f, 65504f, 65520f, Float.NaN, Float.POSITIVE_INFINITY, 0.5f},
                W1, new float[] {-65520f, Float.NEGATIVE_INFINITY}));
        Path dst = dir.resolve("f16.safetensors");

        assertEquals(0, jsora.run("convert", src.toString(), dst.toString(), "--dtype", "f16"), jsora.err.toString());

        assertEquals(String.join(System.lineSeparator(),
                "jsora: warning: 3 values of model.layers.0.w (largest |x| 1.0e+38) exceed fp16's range (65504)"
                        + " and became ±inf",
                "jsora: warning: 1 value of model.layers.1.w (largest |x| 6.6e+04) exceeds fp16's range (65504)"
                        + " and became ±inf",
                "jsora: warning: 4 values in 2 tensors became ±inf in total; --dtype bf16 keeps float32's range", ""),
                jsora.err.toString());
        try (Checkpoint c = Checkpoints.open(dst)) {
            float[] w0 = c.tensor(W0).data();
            assertEquals(List.of(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, Float.POSITIVE_INFINITY),
                    List.of(w0[0], w0[1], w0[2], w0[3]));
            assertTrue(Float.isNaN(w0[4]));
            assertEquals(Float.POSITIVE_INFINITY, w0[5]);
        }
    }

    /** In bf16 only the values next to float32's largest round up to inf. */
    @Test
    void bf16OverflowsNearFloat32sLargestValue() {
        Path src = checkpoint(ordered(HEAD, new float[] {1f},
                W0, new float[] {Float.MAX_VALUE, -0x1.ffp127f, Math.nextDown(0x1.ffp127f), 1e38f, 70000f}));
        Path dst = dir.resolve("bf16.safetensors");

        assertEquals(0, jsora.run("convert", src.toString(), dst.toString(), "--dtype", "bf16"), jsora.err.toString());

        assertEquals(String.join(System.lineSeparator(),
                "jsora: warning: 2 values of model.layers.0.w (largest |x| 3.4e+38) exceed bf16's range (3.3895e+38)"
                        + " and became ±inf",
                "jsora: warning: 2 values in 1 tensor became ±inf in total; --dtype f32 keeps them finite", ""),
                jsora.err.toString());
        try (Checkpoint c = Checkpoints.open(dst)) {
            assertEquals(Half.BF16_MAX, c.tensor(W0).data()[2]);
        }
    }

    @Test
    void valuesInRangeGiveNoWarning() {
        Path src = checkpoint(ordered(HEAD, new float[] {65504f, -65504f, Float.NaN, Float.NEGATIVE_INFINITY}));
        assertEquals(0, jsora.run("convert", src.toString(), dir.resolve("o.safetensors").toString(), "--dtype", "f16"),
                jsora.err.toString());
        assertEquals("", jsora.err.toString());
    }

    /** A sharded folder output counts across shards; past {@link OverflowWarnings#LISTED} tensors only the total. */
    @Test
    void manyTensorsAreCappedAndCountedAcrossShards() {
        int n = OverflowWarnings.LISTED + 5;
        List<Object> kv = new ArrayList<>(List.of(HEAD, new float[] {1f}));
        for (int i = 0; i < n; i++) {
            kv.add("model.layers." + i + ".w");
            kv.add(new float[] {1e5f * (i + 1), 1f});
        }
        Path src = checkpoint(ordered(kv.toArray()));

        assertEquals(0, jsora.run("convert", src.toString(), dir.resolve("folder").toString(), "--dtype", "f16",
                "--max-shard", "40"), jsora.err.toString());

        assertTrue(jsora.out.toString().contains("writing model-00002-of-"), jsora.out.toString());
        List<String> lines = jsora.err.toString().lines().toList();
        assertEquals(OverflowWarnings.LISTED + 1, lines.size(), jsora.err.toString());
        assertEquals("jsora: warning: 1 value of model.layers.0.w (largest |x| 1.0e+05) exceeds fp16's range (65504)"
                + " and became ±inf", lines.get(0));
        assertEquals("jsora: warning: " + n + " values in " + n + " tensors became ±inf in total (5 not listed);"
                + " --dtype bf16 keeps float32's range", lines.get(lines.size() - 1));
    }
}
