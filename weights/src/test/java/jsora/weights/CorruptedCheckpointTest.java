package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Corrupted checkpoints (jqwik): whatever the damage, opening and reading every tensor either works or throws a
 * {@link CheckpointException} — nothing else, within 10 seconds, allocating at most 4 × the file size + 16 MB (class
 * loading, parser and zip buffers): a header claiming huge tensors must not make the reader allocate them.
 */
class CorruptedCheckpointTest {
    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ",", ":", "-1", "1e999", "0.5", "null", "true",
        "99999999999999999999", "\"dtype\"", "\"BF16\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"",
        "[4294967296]", "[0,18446744073709551615]", "\\u0000", "\u00e9", "[[[[[[[[[["};
    private static final String[] DTYPES = {"F32", "F16", "BF16", "I64", "I32", "BOOL", "F64", "U8"};

    /** A valid safetensors file with 1..4 random small tensors. */
    static byte[] validFile(Random r) {
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long off = 0;
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String dt = DTYPES[r.nextInt(DTYPES.length)];
            int rank = r.nextInt(4);
            int[] shape = new int[rank];
            long numel = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = r.nextInt(5);
                numel *= shape[d];
            }
            long bytes = numel * StorageType.parse(dt).bytes();
            h.append(",\"t").append(i).append("\":{\"dtype\":\"").append(dt).append("\",\"shape\":")
                    .append(Arrays.toString(shape).replace(" ", "")).append(",\"data_offsets\":[").append(off)
                    .append(',').append(off + bytes).append("]}");
            off += bytes;
        }
        h.append('}');
        byte[] data = new byte[(int) off];
        r.nextBytes(data);
        return TestFiles.safetensors(h.toString(), data);
    }

    static byte[] corrupt(byte[] f, int kind, Random r) {
        int hlen = (int) ByteBuffer.wrap(f, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(f, 8, hlen, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(f, 8 + hlen, f.length);
        switch (kind) {
            case 0: { // overwrite a few header bytes
                byte[] g = f.clone();
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    g[8 + r.nextInt(hlen)] = (byte) r.nextInt(256);
                }
                return g;
            }
            case 1: // truncate
                return Arrays.copyOf(f, r.nextInt(f.length));
            case 2: { // another header length
                long[] lens = {hlen - 1, hlen + 1, -1, Long.MAX_VALUE, Integer.MAX_VALUE, 0, 1, r.nextLong(), f.length};
                byte[] g = f.clone();
                ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lens[r.nextInt(lens.length)]);
                return g;
            }
            case 3: { // insert a JSON token
                int at = r.nextInt(header.length() + 1);
                return TestFiles.safetensors(header.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)]
                        + header.substring(at), data);
            }
            case 4: { // replace a number
                String[] nums = {"-1", "2147483648", "9223372036854775807", "1e309", "0.5", "99999999999999999999", "3"};
                return TestFiles.safetensors(header.replaceFirst("\\d+(?=[,\\]])", nums[r.nextInt(nums.length)]), data);
            }
            default: { // delete a span
                int a = r.nextInt(header.length());
                int b = Math.min(header.length(), a + 1 + r.nextInt(12));
                return TestFiles.safetensors(header.substring(0, a) + header.substring(b), data);
            }
        }
    }

    /** Opens and reads everything; returns the bytes this thread allocated. */
    static long readAll(Path p) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        try (Checkpoint c = Checkpoints.open(p)) {
            for (String k : c.keys()) {
                TensorInfo info = c.info(k);
                if (info.type().isFloat()) {
                    c.weight(k);
                    if (info.shape.length > 0 && info.shape[0] > 0) {
                        c.rows(k, new int[] {0});
                    }
                } else {
                    c.longs(k);
                }
            }
        } catch (CheckpointException expected) {
            // the one exception type a bad file may produce
        }
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static void check(byte[] file, String suffix) throws IOException {
        Path p = Files.createTempFile("corrupt", suffix);
        try {
            Files.write(p, file);
            long allocated = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readAll(p));
            assertTrue(allocated <= 4L * file.length + (16 << 20), allocated + " bytes allocated for a file of "
                    + file.length);
        } finally {
            Files.delete(p);
        }
    }

    @Property(tries = 300)
    void corruptedSafetensorsHeadersOnlyThrowCheckpointException(@ForAll long seed,
                                                                 @ForAll @IntRange(min = 0, max = 5) int kind)
            throws IOException {
        Random r = new Random(seed);
        check(corrupt(validFile(r), kind, r), ".safetensors");
    }

    @Property(tries = 200)
    void corruptedTorchPicklesOnlyThrowCheckpointException(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        TestFiles.Pickle pk = new TestFiles.Pickle().orderedDict()
                .tensor("w", "FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .tensor("wt", "FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3})
                .tensor("h", "HalfStorage", "1", 2, 1, new long[] {1}, new long[] {1});
        byte[] pkl = pk.stop();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            pkl[2 + r.nextInt(pkl.length - 2)] = (byte) r.nextInt(256);
        }
        check(TestFiles.torchZip(pkl, Map.of("0", TestFiles.floats(1, 2, 3, 4, 5, 6), "1", new byte[4])), ".pt");
    }
}
