package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input of issue 3 item 7: a CheckpointException whose message names the file and, where there is one, the key. */
class BadInputTest {
    @TempDir
    Path dir;

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private static void fails(Executable open, String... mustMention) {
        CheckpointException e = assertThrows(CheckpointException.class, open);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }

    private Path st(String name, String header, byte[] data) {
        return TestFiles.write(dir, name, TestFiles.safetensors(header, data));
    }

    @Test
    void truncatedFile() {
        Path p = TestFiles.write(dir, "tiny.safetensors", new byte[5]);
        fails(() -> SafeTensors.open(p), "tiny.safetensors", "truncated");
    }

    @Test
    void fileCutInsideTheData() {
        byte[] full = TestFiles.safetensors("{" + A + "}", TestFiles.floats(1, 2));
        Path p = TestFiles.write(dir, "cut.safetensors", java.util.Arrays.copyOf(full, full.length - 3));
        fails(() -> SafeTensors.open(p), "cut.safetensors", "'a'", "out of range");
    }

    @Test
    void headerLengthPastTheEnd() {
        byte[] b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        Path p = TestFiles.write(dir, "len.safetensors", b);
        fails(() -> SafeTensors.open(p), "len.safetensors", "1000", "past the end");
    }

    @Test
    void headerLongerThanTheCap() throws IOException {
        Path p = dir.resolve("huge.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(SafeTensors.MAX_HEADER_BYTES + 100); // sparse: nothing is written
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensors.MAX_HEADER_BYTES + 1)
                    .array());
        }
        fails(() -> SafeTensors.open(p), "huge.safetensors", "cap");
    }

    @Test
    void malformedJson() {
        Path p = st("json.safetensors", "{" + A, TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(p), "json.safetensors", "malformed");
        Path q = st("lenient.safetensors", "{a:1}", new byte[0]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(q));
        assertTrue(e.getMessage().contains("invalid JSON") && !e.getMessage().contains("setStrictness")
                && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void offsetsOutOfRange() {
        Path p = st("range.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}",
                TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(p), "range.safetensors", "'a'", "out of range");
    }

    @Test
    void overlappingTensors() {
        Path p = st("overlap.safetensors", "{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                TestFiles.floats(1, 2, 3));
        fails(() -> SafeTensors.open(p), "overlap.safetensors", "'a'", "'b'", "overlap");
    }

    @Test
    void byteSizeNotMatchingDtypeTimesShape() {
        Path p = st("size.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(p), "size.safetensors", "'a'", "needs 12");
    }

    @Test
    void unknownDtype() {
        Path p = st("dtype.safetensors", "{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(p), "dtype.safetensors", "'a'", "unknown dtype 'Q4'");
    }

    @Test
    void duplicateKey() {
        Path p = st("dup.safetensors", "{" + A + "," + A + "}", TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(p), "dup.safetensors", "duplicate key 'a'");
    }

    @Test
    void negativeDimensionAndNonStringMetadata() {
        Path neg = st("neg.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(neg), "neg.safetensors", "'a'", "-2");
        Path meta = st("meta.safetensors", "{\"__metadata__\":{\"n\":3}," + A + "}", TestFiles.floats(1, 2));
        fails(() -> SafeTensors.open(meta), "meta.safetensors", "'n'");
    }

    @Test
    void zipWithoutDataPkl() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data/0", TestFiles.floats(1, 2));
        Path p = TestFiles.write(dir, "nopkl.bin", TestFiles.zip(entries));
        fails(() -> Checkpoints.open(p), "nopkl.bin", "no data.pkl");
    }

    @Test
    void pickleNamingAForbiddenGlobal() {
        byte[] pkl = new TestFiles.Pickle().global("os", "system").str("echo owned").op(0x85, 'R').stop();
        Path p = TestFiles.write(dir, "evil.pt", TestFiles.torchZip(pkl, Map.of()));
        fails(() -> Checkpoints.open(p), "evil.pt", "os.system", "refusing");
    }

    @Test
    void legacyTorchFile() {
        Path p = TestFiles.write(dir, "old.bin", new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
        fails(() -> Checkpoints.open(p), "old.bin", "legacy");
    }

    @Test
    void missingShard() {
        st("model-00001-of-00002.safetensors", "{" + A + "}", TestFiles.floats(1, 2));
        Path index = TestFiles.write(dir, "model.safetensors.index.json", ("{\"metadata\":{},\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}").getBytes());
        fails(() -> Checkpoints.open(index), "model-00002-of-00002.safetensors", "'b'", "missing");
    }

    @Test
    void indexNamingItselfOrALoopOfIndexes() {
        Path self = TestFiles.write(dir, "self.index.json", "{\"weight_map\":{\"a\":\"self.index.json\"}}".getBytes());
        fails(() -> Checkpoints.open(self), "self.index.json", "'a'", "itself a shard index");
        TestFiles.write(dir, "one.index.json", "{\"weight_map\":{\"a\":\"two.index.json\"}}".getBytes());
        Path two = TestFiles.write(dir, "two.index.json", "{\"weight_map\":{\"b\":\"one.index.json\"}}".getBytes());
        fails(() -> Checkpoints.open(two), "two.index.json", "'b'", "itself a shard index");
    }

    @Test
    void shardNameWithANulCharacterNamesTheIndexAndKey() {
        Path index = TestFiles.write(dir, "nul.index.json", "{\"weight_map\":{\"k\":\"a\\u0000.safetensors\"}}".getBytes());
        fails(() -> Checkpoints.open(index), "nul.index.json", "'k'", "must be a file name");
    }

    @Test
    void malformedIndexSaysWhereNotHowToParseLeniently() {
        for (String json : new String[] {"{\"weight_map\": {\"a\": }", "{weight_map", "{\"weight_map\": {} x"}) {
            Path p = TestFiles.write(dir, "bad.index.json", json.getBytes());
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(p));
            assertTrue(e.getMessage().contains("bad.index.json") && e.getMessage().contains("line 1"), e.getMessage());
            assertTrue(!e.getMessage().contains("LENIENT") && !e.getMessage().contains("http"), e.getMessage());
        }
    }

    @Test
    void tensorTheModelNeedsIsAbsent() {
        Path p = st("absent.safetensors", "{" + A + "}", TestFiles.floats(1, 2));
        try (Checkpoint c = Checkpoints.open(p)) {
            fails(() -> c.weight("encoder.final_layer_norm.weight"), "absent.safetensors",
                    "'encoder.final_layer_norm.weight'");
        }
    }

    @Test
    void shapeTheModelDoesNotExpect() {
        Path p = st("shape.safetensors", "{" + A + "}", TestFiles.floats(1, 2));
        try (Checkpoint c = Checkpoints.open(p)) {
            fails(() -> c.weight("a", 2, 1), "shape.safetensors", "'a'", "[2]", "[2, 1]");
        }
    }

    @Test
    void rowOutOfRangeAndIntegerTensorReadAsWeight() {
        Path p = st("rows.safetensors", "{" + A + ",\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}",
                ByteBuffer.allocate(16).array());
        try (Checkpoint c = Checkpoints.open(p)) {
            fails(() -> c.rows("a", new int[] {2}), "rows.safetensors", "'a'", "row 2");
            fails(() -> c.weight("i"), "rows.safetensors", "'i'", "not a float type");
        }
    }

    @Test
    void fileTruncatedAfterOpening() throws IOException {
        Path p = st("shrunk.safetensors", "{" + A + "}", TestFiles.floats(1, 2));
        try (Checkpoint c = Checkpoints.open(p)) {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(f.length() - 4);
            }
            fails(() -> c.weight("a"), "shrunk.safetensors", "'a'", "truncated");
        }
    }
}
