package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save zip files written by TorchZipWriter read back through the project's own reader. */
class TorchZipWriterTest {
    @TempDir
    Path dir;

    private static Map<String, WeightTensor> sample() {
        float[] big = new float[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i);
        }
        WeightTensor tied = WeightTensor.ofF32(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        short[] h = {Half.floatToBf16(1.5f), Half.floatToBf16(-2f)};
        Map<String, WeightTensor> m = new LinkedHashMap<>();
        m.put("shared.weight", tied);
        m.put("encoder.embed_tokens.weight", tied);
        m.put("big", WeightTensor.ofF32(big, 350, 200));
        m.put("half", WeightTensor.ofHalf(DType.BF16, h, 2));
        m.put("scalar", WeightTensor.ofF32(new float[] {7}, 1));
        return m;
    }

    private void assertReadsBack(Path p, Map<String, WeightTensor> expected) {
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals("torch.save zip", c.format());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(c.keys()));
            for (Map.Entry<String, WeightTensor> e : expected.entrySet()) {
                WeightTensor w = c.weight(e.getKey());
                assertEquals(e.getValue().dtype(), w.dtype(), e.getKey());
                assertArrayEquals(e.getValue().shape(), w.shape(), e.getKey());
                for (int i = 0; i < w.size(); i++) {
                    assertEquals(e.getValue().get(i), w.get(i), e.getKey() + "[" + i + "]");
                }
            }
            assertArrayEquals(new float[] {3, 4, 5, 6}, c.rows("encoder.embed_tokens.weight", new int[] {1, 2}).f32());
        }
    }

    @Test
    void readsBackWithTiedStorageSharedAndDataAligned() throws IOException {
        Path p = dir.resolve("pytorch_model.bin");
        TorchZipWriter.write(p, sample(), false);
        assertReadsBack(p, sample());
        try (ZipFile z = ZipFile.builder().setPath(p).get()) {
            int storages = 0;
            for (Enumeration<ZipArchiveEntry> en = z.getEntries(); en.hasMoreElements();) {
                ZipArchiveEntry e = en.nextElement();
                assertEquals(ZipArchiveEntry.STORED, e.getMethod(), e.getName());
                assertEquals(0, e.getDataOffset() % 64, e.getName());
                storages += e.getName().startsWith("archive/data/") ? 1 : 0;
            }
            assertEquals(4, storages, "the tied weight is stored once");
            assertTrue(z.getEntry("archive/version") != null && z.getEntry("archive/byteorder") != null);
        }
        assertFalse(hasZip64EndRecord(p), "a small file needs no zip64 records");
    }

    @Test
    void forcedZip64ReadsBack() throws IOException {
        Path p = dir.resolve("zip64.bin");
        TorchZipWriter.write(p, sample(), true);
        assertTrue(hasZip64EndRecord(p));
        assertReadsBack(p, sample());
    }

    @Test
    void sameInputSameBytes() throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        TorchZipWriter.write(a, sample(), false);
        TorchZipWriter.write(b, sample(), false);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void unwritableFolderIsNamedAndLeavesNothing() {
        Path p = dir.resolve("missing").resolve("x.bin");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipWriter.write(p, sample(), false));
        assertTrue(e.getMessage().startsWith(p + ": cannot write"), e.getMessage());
    }

    /** The zip64 end-of-central-directory record's signature PK\6\6. */
    private static boolean hasZip64EndRecord(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        for (int i = b.length - 4; i >= 0; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 6 && b[i + 3] == 6) {
                return true;
            }
        }
        return false;
    }
}
