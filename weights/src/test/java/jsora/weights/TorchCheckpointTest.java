package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save zip checkpoints built opcode by opcode: views of shared storages, strides, nesting, refusals. */
class TorchCheckpointTest {
    @TempDir
    Path dir;

    private static byte[] bf16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(Half.floatToBf16(f));
        }
        return b.array();
    }

    @Test
    void viewsOfOneStorageWithOffsetsAndStrides() {
        // storage 0: 0..11 (float32). w = [3,4] contiguous; wt = its transpose [4,3] (stride 1,4); tail = elements 8..11.
        float[] s = new float[12];
        for (int i = 0; i < 12; i++) {
            s[i] = i;
        }
        byte[] pkl = new TestFiles.Pickle().orderedDict()
                .tensor("w", "FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1})
                .tensor("wt", "FloatStorage", "0", 12, 0, new long[] {4, 3}, new long[] {1, 4})
                .tensor("tail", "FloatStorage", "0", 12, 8, new long[] {4}, new long[] {1})
                .tensor("h", "BFloat16Storage", "1", 3, 0, new long[] {3}, new long[] {1})
                .stop();
        Path p = TestFiles.write(dir, "ckpt.pth", TestFiles.torchZip(pkl, Map.of("0", TestFiles.floats(s), "1",
                bf16(1.5f, -2f, 3.25f))));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals(List.of("w", "wt", "tail", "h"), List.copyOf(c.keys()));
            assertArrayEquals(s, c.weight("w").f32());
            assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, c.weight("wt").f32());
            assertArrayEquals(new int[] {4, 3}, c.info("wt").shape);
            assertArrayEquals(new float[] {8, 9, 10, 11}, c.weight("tail").f32());
            assertArrayEquals(new float[] {1, 5, 9, 3, 7, 11}, c.rows("wt", new int[] {1, 3}).f32());
            assertArrayEquals(new float[] {4, 5, 6, 7}, c.rows("w", new int[] {1}).f32());
            WeightTensor h = c.weight("h");
            assertEquals(DType.BF16, h.dtype());
            assertEquals(-2f, h.get(1));
        }
    }

    @Test
    void aViewLargerThanItsStorageIsRefusedBeforeAnyAllocation() {
        for (long n : new long[] {20_000, 1_000_000}) {
            byte[] pkl = new TestFiles.Pickle().orderedDict()
                    .tensor("big", "FloatStorage", "0", 1, 0, new long[] {n, n}, new long[] {0, 0}).stop();
            Path p = TestFiles.write(dir, "stride0.bin", TestFiles.torchZip(pkl, Map.of("0", TestFiles.floats(1))));
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p));
            assertTrue(e.getMessage().contains("stride0.bin") && e.getMessage().contains("'big'")
                    && e.getMessage().contains("storage of 1"), e.getMessage());
        }
    }

    @Test
    void nestedModelDictIsFlattenedAndItsPrefixStripped() {
        TestFiles.Pickle pk = new TestFiles.Pickle().op('}').str("model").orderedDict();
        pk.tensor("blocks.0.w", "FloatStorage", "7", 2, 0, new long[] {2}, new long[] {1});
        pk.op('s').str("epoch").integer(3).op('s');
        Path p = TestFiles.write(dir, "train.pt", TestFiles.torchZip(pk.stop(), Map.of("7", TestFiles.floats(1, 2))));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals(List.of("blocks.0.w"), List.copyOf(c.keys()));
            assertArrayEquals(new float[] {1, 2}, c.tensor("blocks.0.w").data());
        }
    }

    @Test
    void parametersAndIntegerStorages() {
        TestFiles.Pickle pk = new TestFiles.Pickle().orderedDict().str("p").global("torch._utils", "_rebuild_parameter")
                .op('(');
        pk.global("torch._utils", "_rebuild_tensor_v2").op('(').op('(').str("storage").global("torch", "FloatStorage")
                .str("0").str("cpu").integer(2).op('t', 'Q').integer(0).ints(2).ints(1).op(0x89)
                .orderedDict().op('t', 'R');
        pk.op(0x88).orderedDict().op('t', 'R', 's');
        pk.tensor("ids", "LongStorage", "1", 2, 0, new long[] {2}, new long[] {1});
        byte[] longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(1L << 40).array();
        Path p = TestFiles.write(dir, "param.bin", TestFiles.torchZip(pk.stop(), Map.of("0", TestFiles.floats(3, 4),
                "1", longs)));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertArrayEquals(new float[] {3, 4}, c.weight("p").f32());
            assertArrayEquals(new long[] {-5, 1L << 40}, c.longs("ids"));
        }
    }

    @Test
    void missingOrShortStorage() {
        byte[] pkl = new TestFiles.Pickle().orderedDict()
                .tensor("w", "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).stop();
        Path none = TestFiles.write(dir, "nostorage.bin", TestFiles.torchZip(pkl, Map.of()));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(none));
        assertTrue(e.getMessage().contains("nostorage.bin") && e.getMessage().contains("'w'"), e.getMessage());
        Path shortOne = TestFiles.write(dir, "short.bin", TestFiles.torchZip(pkl, Map.of("0", TestFiles.floats(1))));
        e = assertThrows(CheckpointException.class, () -> Checkpoints.open(shortOne));
        assertTrue(e.getMessage().contains("short.bin") && e.getMessage().contains("needs 16"), e.getMessage());
        byte[] past = new TestFiles.Pickle().orderedDict()
                .tensor("w", "FloatStorage", "0", 4, 3, new long[] {2}, new long[] {1}).stop();
        Path view = TestFiles.write(dir, "view.bin", TestFiles.torchZip(past, Map.of("0", TestFiles.floats(1, 2, 3, 4))));
        e = assertThrows(CheckpointException.class, () -> Checkpoints.open(view));
        assertTrue(e.getMessage().contains("past the end of its storage"), e.getMessage());
    }

    @Test
    void compressedStorageIsRefused() {
        byte[] pkl = new TestFiles.Pickle().orderedDict()
                .tensor("w", "FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).stop();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            z.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            z.write(pkl);
            z.putNextEntry(new java.util.zip.ZipEntry("archive/data/0"));
            z.write(TestFiles.floats(1));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        Path p = TestFiles.write(dir, "deflated.bin", out.toByteArray());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());
    }

    @Test
    void onlyStateDictOpcodesAndGlobalsAreAccepted() {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("builtins.eval", new TestFiles.Pickle().global("builtins", "eval").stop());
        bad.put("torch.load", new TestFiles.Pickle().global("torch", "load").stop());
        bad.put("opcode", new TestFiles.Pickle().op('i').stop()); // INST: calls a class by name
        bad.put("no STOP", new TestFiles.Pickle().orderedDict().op('(').stop());
        for (Map.Entry<String, byte[]> b : bad.entrySet()) {
            byte[] pkl = java.util.Arrays.copyOf(b.getValue(), b.getValue().length - (b.getKey().equals("no STOP") ? 1 : 0));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> StateDictUnpickler.read("x.pt", pkl), b.getKey());
            assertTrue(e.getMessage().startsWith("x.pt"), e.getMessage());
        }
    }

    @Test
    void cyclesInThePickleAreRefusedNotFollowed() {
        byte[] selfDict = new TestFiles.Pickle().op('}', 'q', 0).str("a").op('h', 0, 's').stop();
        Path p = TestFiles.write(dir, "cycle.pt", TestFiles.torchZip(selfDict, Map.of()));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p));
        assertTrue(e.getMessage().contains("cycle.pt") && e.getMessage().contains("deeper than"), e.getMessage());
        byte[] selfListKey = new TestFiles.Pickle().op('}', ']', 'q', 0, 'h', 0, 'a').str("v").op('s').stop();
        e = assertThrows(CheckpointException.class, () -> StateDictUnpickler.read("k.pt", selfListKey));
        assertTrue(e.getMessage().contains("dict key"), e.getMessage());
    }
}
