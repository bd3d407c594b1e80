package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.Int8;
import jsora.tensor.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** int8 checkpoints ({@link Int8Weights}): written by {@link SafeTensorsWriter}, read back as I8 weights. */
class Int8WeightsTest {
    @TempDir
    Path dir;

    private static Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("shared.weight", new int[] {10, 8});
        m.put("block.0.q.weight", new int[] {6, 96});
        m.put("block.0.norm.weight", new int[] {96});
        m.put("block.0.proj.bias", new int[] {6});
        m.put("block.0.relative_attention_bias.weight", new int[] {4, 2});
        m.put("y_embedder.y_embedding", new int[] {5, 8});
        m.put("pos_embedding.weight", new int[] {5, 8});
        m.put("conv.weight", new int[] {2, 3, 3, 3});
        return m;
    }

    @Test
    void onlyLinearWeightsAreQuantized() {
        Map<String, int[]> shapes = shapes();
        List<String> quantized = new ArrayList<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            if (Int8Weights.quantizes(e.getKey(), TensorInfo.of(e.getKey(), StorageType.F32, e.getValue()))) {
                quantized.add(e.getKey());
            }
        }
        assertEquals(List.of("block.0.q.weight"), quantized);
        assertFalse(Int8Weights.quantizes("a.weight", TensorInfo.of("a.weight", StorageType.I64, 2, 2)));
        assertFalse(Int8Weights.quantizes("a.weight", TensorInfo.of("a.weight", StorageType.F32, 2, 0)));
    }

    /** A weight that cannot be quantized (not finite) is named with its file; no partial output is left. */
    @Test
    void nonFiniteWeightsAreNamed() throws IOException {
        float[] v = {1f, Float.POSITIVE_INFINITY, 0f, 2f};
        Path src = TestFiles.write(dir, "inf.safetensors", TestFiles.safetensors(
                "{\"l.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", TestFiles.floats(v)));
        Path out = dir.resolve("out.safetensors");
        try (Checkpoint c = Checkpoints.open(src)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> SafeTensorsWriter.write(out, c, List.of("l.weight"), OutputType.int8(64), Map.of()));
            assertMessage(e, "inf", "l.weight");
        }
        assertFalse(Files.exists(out));
    }

    /** The written file reads back: quantized weight as I8 with the same values and scales, the rest as it was. */
    @Test
    void roundTripThroughTheReader() {
        for (int block : new int[] {64, Int8.PER_ROW}) {
            Path out = dir.resolve("int8-" + block + ".safetensors");
            Checkpoint src = new RandomCheckpoint(shapes(), DType.F32, 7, Map.of());
            List<String> keys = new ArrayList<>(shapes().keySet());
            OutputType type = OutputType.int8(block);
            SafeTensorsWriter.write(out, src, keys, type, Map.of("format", "pt"));
            try (Checkpoint c = Checkpoints.open(out)) {
                assertEquals(keys, List.copyOf(c.keys()), "scale keys are hidden");
                WeightTensor q = c.weight("block.0.q.weight", 6, 96);
                WeightTensor expected = Int8.quantize(src.tensor("block.0.q.weight"), block);
                assertEquals(DType.I8, q.dtype());
                assertArrayEquals(expected.int8(), q.int8());
                assertArrayEquals(expected.int8Scales(), q.int8Scales());
                assertEquals(expected.scaleBlock(), q.scaleBlock());
                assertEquals(block == 64 ? 48 : 96, q.scaleBlock(), "96 in blocks of at most 64: two of 48");
                assertEquals(q.bytes(), c.info("block.0.q.weight").memoryBytes());
                assertTrue(c.info("block.0.q.weight").isInt8Weight());
                assertEquals(type.outputBytes("block.0.q.weight", src.info("block.0.q.weight")),
                        c.info("block.0.q.weight").storedBytes());
                for (String k : keys) {
                    if (!k.equals("block.0.q.weight")) {
                        assertEquals(DType.F32, c.weight(k).dtype(), k);
                        assertArrayEquals(src.tensor(k).data(), c.tensor(k).data(), k);
                    }
                }
                CheckpointException e = assertThrows(CheckpointException.class,
                        () -> c.rows("block.0.q.weight", new int[] {0}));
                assertTrue(e.getMessage().contains("block.0.q.weight"), e.getMessage());
            }
        }
    }

    /** Converting an int8 checkpoint again: to floats it is dequantized, to int8 the values stay the same. */
    @Test
    void int8CheckpointsConvertAgain() {
        Path int8 = dir.resolve("a.safetensors");
        Checkpoint src = new RandomCheckpoint(shapes(), DType.F32, 3, Map.of());
        List<String> keys = new ArrayList<>(shapes().keySet());
        SafeTensorsWriter.write(int8, src, keys, OutputType.int8(64), Map.of());
        try (Checkpoint c = Checkpoints.open(int8)) {
            Path again = dir.resolve("b.safetensors");
            Path f32 = dir.resolve("c.safetensors");
            SafeTensorsWriter.write(again, c, keys, OutputType.int8(64), Map.of());
            SafeTensorsWriter.write(f32, c, keys, OutputType.keep(), Map.of());
            try (Checkpoint b = Checkpoints.open(again); Checkpoint f = Checkpoints.open(f32)) {
                assertArrayEquals(c.weight("block.0.q.weight").int8(), b.weight("block.0.q.weight").int8());
                assertEquals(DType.F32, f.weight("block.0.q.weight").dtype());
                assertArrayEquals(c.tensor("block.0.q.weight").data(), f.tensor("block.0.q.weight").data());
            }
        }
    }

    @Test
    void shardsKeepEachWeightWithItsScalesAndIndexOnlyTheWeight() {
        Checkpoint src = new RandomCheckpoint(shapes(), DType.F32, 5, Map.of());
        List<String> keys = new ArrayList<>(shapes().keySet());
        List<Path> files = ShardedSafeTensorsWriter.write(dir, src, keys, OutputType.int8(32), Map.of(), 400,
                (f, b) -> { }, new Overflows());
        assertTrue(files.size() > 2, files.toString());
        assertTrue(Files.isRegularFile(dir.resolve(ShardedSafeTensorsWriter.INDEX)));
        try (Checkpoint c = Checkpoints.open(dir)) {
            assertEquals(keys, List.copyOf(c.keys()));
            assertEquals(DType.I8, c.weight("block.0.q.weight").dtype());
            assertArrayEquals(Int8.quantize(src.tensor("block.0.q.weight"), 32).toTensor().data(),
                    c.tensor("block.0.q.weight").data());
        }
        Path one = dir.resolve("one");
        ShardedSafeTensorsWriter.write(mkdir(one), src, keys, OutputType.keep(), Map.of(), Long.MAX_VALUE, (f, b) -> { },
                new Overflows());
        assertTrue(Files.isRegularFile(one.resolve(ShardedSafeTensorsWriter.SINGLE)));
        assertFalse(Files.exists(one.resolve(ShardedSafeTensorsWriter.INDEX)));
    }

    @Test
    void missingOrMismatchedScalesAreNamed() {
        byte[] q = new byte[8];
        String w = "\"w.weight\":{\"dtype\":\"I8\",\"shape\":[2,4],\"data_offsets\":[0,8]}";
        // an I8 weight without scales
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> open("noscale", "{" + w + "}", q).weight("w.weight"));
        assertMessage(e, "noscale", "w.weight.int8_scale");
        // a scale without its weight
        e = assertThrows(CheckpointException.class, () -> open("orphan",
                "{\"v.weight.int8_scale\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}}", new byte[8]));
        assertMessage(e, "orphan", "v.weight");
        // scales for 3 rows of a 2-row weight; 3 scales per row of 4 (no equal cut gives 3)
        for (String shape : new String[] {"[3,1]", "[2,3]", "[2]"}) {
            int n = shape.equals("[2]") ? 2 : shape.equals("[3,1]") ? 3 : 6;
            String s = ",\"w.weight.int8_scale\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[8,"
                    + (8 + 4 * n) + "]}";
            e = assertThrows(CheckpointException.class, () -> open("shape", "{" + w + s + "}", new byte[8 + 4 * n]));
            assertMessage(e, "shape", "w.weight.int8_scale");
        }
        // a scale stored as F16
        String f16 = ",\"w.weight.int8_scale\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[8,12]}";
        e = assertThrows(CheckpointException.class, () -> open("f16", "{" + w + f16 + "}", new byte[12]));
        assertMessage(e, "f16", "F16");
        // a scale for a float weight
        String f32w = "\"w.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"w.weight.int8_scale\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[8,16]}";
        e = assertThrows(CheckpointException.class, () -> open("float", "{" + f32w + "}", new byte[16]));
        assertMessage(e, "float", "w.weight");
    }

    @Test
    void wellFormedScalesDequantize() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {1, -2, 127, -127, 0, 3, 4, 5}).putFloat(0.5f).putFloat(0.25f);
        String h = "{\"w.weight\":{\"dtype\":\"I8\",\"shape\":[2,4],\"data_offsets\":[0,8]},"
                + "\"w.weight.int8_scale\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[8,16]}}";
        try (Checkpoint c = open("good", h, b.array())) {
            assertArrayEquals(new float[] {0.5f, -1f, 63.5f, -63.5f, 0f, 0.75f, 1f, 1.25f},
                    c.tensor("w.weight").data());
        }
    }

    /** int8 values read in chunks smaller than a row (the reader's window) come back whole. */
    @Test
    void int8ValuesReadAcrossChunks() throws IOException {
        byte[] q = new byte[3 * 7];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) (i * 11 - 100);
        }
        Path p = TestFiles.write(dir, "raw.bin", q);
        try (FileChannel ch = FileChannel.open(p)) {
            WeightTensor w = new TensorReader(ch, p, 4).int8(TensorInfo.of("w", StorageType.I8, 3, 7), 0,
                    new float[] {1f, 2f, 3f}, 7);
            assertArrayEquals(q, w.int8());
            assertEquals(q[20] * 3f, w.get(20));
        }
    }

    private Checkpoint open(String name, String header, byte[] data) {
        return Checkpoints.open(TestFiles.write(dir, name + ".safetensors", TestFiles.safetensors(header, data)));
    }

    private static void assertMessage(CheckpointException e, String file, String key) {
        assertTrue(e.getMessage().contains(file + ".safetensors") && e.getMessage().contains(key), e.getMessage());
    }

    private static Path mkdir(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
