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
import jsora.tensor.WeightTensor;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save zip files written by TorchZipWriter read back through the project's own reader. */
class TorchZipWriterTest {
    @TempDir
    Path dir;

    private static final Map<String, String> TIED = Map.of("encoder.embed_tokens.weight", "shared.weight");

    private static Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("shared.weight", new int[] {3, 2});
        m.put("encoder.embed_tokens.weight", new int[] {3, 2});
        m.put("big", new int[] {350, 200});
        m.put("layer_norm.weight", new int[] {5});
        m.put("kernel", new int[] {2, 3, 1, 2, 2});
        return m;
    }

    private static Checkpoint sample(DType dtype) {
        return new RandomCheckpoint(shapes(), dtype, 7, Map.of());
    }

    private static void write(Path p, Checkpoint src, boolean zip64) {
        TorchZipWriter.write(p, src, List.copyOf(src.keys()), TIED, zip64);
    }

    private void assertReadsBack(Path p, Checkpoint expected) {
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals("torch.save zip", c.format());
            assertEquals(List.copyOf(expected.keys()), List.copyOf(c.keys()));
            for (String k : expected.keys()) {
                WeightTensor e = k.equals("encoder.embed_tokens.weight") ? expected.weight("shared.weight")
                        : expected.weight(k);
                WeightTensor w = c.weight(k);
                assertEquals(e.dtype(), w.dtype(), k);
                assertArrayEquals(e.shape(), w.shape(), k);
                for (int i = 0; i < w.size(); i++) {
                    assertEquals(e.get(i), w.get(i), k + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void readsBackWithTiedStorageSharedAndDataAligned() throws IOException {
        Path p = dir.resolve("pytorch_model.bin");
        write(p, sample(DType.F32), false);
        assertReadsBack(p, sample(DType.F32));
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
        write(p, sample(DType.F32), true);
        assertTrue(hasZip64EndRecord(p));
        assertReadsBack(p, sample(DType.F32));
    }

    @Test
    void halfPrecisionStoragesReadBack() {
        for (DType t : new DType[] {DType.BF16, DType.F16}) {
            Path p = dir.resolve(t + ".bin");
            write(p, sample(t), false);
            assertReadsBack(p, sample(t));
        }
    }

    @Test
    void sameInputSameBytes() throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        write(a, sample(DType.F32), false);
        write(b, sample(DType.F32), false);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void unwritableFolderIsNamedAndLeavesNothing() {
        Path p = dir.resolve("missing").resolve("x.bin");
        CheckpointException e = assertThrows(CheckpointException.class, () -> write(p, sample(DType.F32), false));
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
