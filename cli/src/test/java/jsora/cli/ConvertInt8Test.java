package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.models.pipeline.FakeCheckpoints;
import jsora.models.t5.T5Config;
import jsora.models.t5.T5Encoder;
import jsora.nn.Activation;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.Int8Weights;
import jsora.weights.OutputType;
import jsora.weights.RandomCheckpoint;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.ShardedSafeTensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsora convert --dtype int8} on the T5 layout {@code fake-checkpoints} writes (sharded torch.save .bin with
 * an index, config.json beside it), at tiny size: a sharded safetensors model folder that T5Encoder opens as it is.
 */
class ConvertInt8Test {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return JsoraCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private static T5Config tiny() {
        return new T5Config(500, 64, 16, 4, 96, 3, 32, 128, 1e-6f, Activation.GELU_TANH);
    }

    @Test
    void shardedT5BinBecomesAnInt8ModelFolder() throws IOException {
        Path src = dir.resolve("t5");
        new FakeCheckpoints(3, (f, b) -> { }).writeT5(src, tiny(), 60_000, false);
        Files.writeString(src.resolve("tokenizer.json"), "{}");
        Files.writeString(src.resolve("spiece.model"), "x");
        Path dst = dir.resolve("t5-int8");

        assertEquals(0, run("convert", src.toString(), dst.toString(), "--dtype", "int8", "--max-shard", "50000"),
                err.toString());

        try (Stream<Path> s = Files.list(dst)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertTrue(names.contains(ShardedSafeTensorsWriter.INDEX), names.toString());
            assertTrue(names.containsAll(List.of("config.json", "tokenizer.json", "spiece.model")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".bin") || n.startsWith(".")), names.toString());
            assertTrue(names.stream().filter(n -> n.endsWith(".safetensors")).count() > 1, names.toString());
        }
        try (Checkpoint f32 = Checkpoints.open(src); Checkpoint int8 = Checkpoints.open(dst)) {
            assertEquals(f32.keys(), int8.keys());
            for (String k : f32.keys()) {
                DType expected = Int8Weights.quantizes(k, f32.info(k)) ? DType.I8 : DType.F32;
                assertEquals(expected, int8.weight(k).dtype(), k);
            }
        }
        int[][] ids = {{5, 17, 260, 3, 1, 0}, {9, 1, 0, 0, 0, 0}};
        int[][] mask = {{1, 1, 1, 1, 1, 0}, {1, 1, 0, 0, 0, 0}};
        try (T5Encoder ref = T5Encoder.open(src.toString(), Long.MAX_VALUE);
                T5Encoder q = T5Encoder.open(dst.toString(), Long.MAX_VALUE)) {
            Tensor expected = ref.encode(ids, mask).y;
            Approx.assertClose("int8 T5 y", expected, q.encode(ids, mask).y, 5e-2);
        }
    }

    @Test
    void badFoldersAndBlocksAreOneLineErrors() throws IOException {
        Path src = dir.resolve("t5");
        new FakeCheckpoints(3, (f, b) -> { }).writeT5(src, tiny(), Long.MAX_VALUE, false);
        assertEquals(1, run("convert", src.toString(), src.toString(), "--dtype", "int8"));
        assertTrue(err.toString().startsWith("jsora: ") && err.toString().contains("not empty"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("convert", src.toString(), dir.resolve("o").toString(), "--dtype", "int8",
                "--int8-block", "0"));
        assertTrue(err.toString().contains("--int8-block") && err.toString().contains("'0'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("convert", src.toString(), dir.resolve("p").toString(), "--int8-block", "32"));
        assertEquals("jsora: --int8-block applies to --dtype int8 only", err.toString().strip());
    }

    /** A conversion that fails half-way (a NaN in the last block's weight) leaves the output folder empty. */
    @Test
    void aFailedConversionLeavesNoPartialFolder() throws IOException {
        Map<String, int[]> shapes = FakeCheckpoints.t5Shapes(tiny());
        String bad = "encoder.block.2.layer.1.DenseReluDense.wo.weight";
        float[] nan = new float[64 * 96];
        nan[100] = Float.NaN;
        Path src = dir.resolve("nan.safetensors");
        SafeTensorsWriter.write(src, new RandomCheckpoint(shapes, Map.of(bad, nan), DType.F32, 1, Map.of()),
                List.copyOf(shapes.keySet()), OutputType.keep(), Map.of());
        Path dst = Files.createDirectories(dir.resolve("out"));
        assertEquals(1, run("convert", src.toString(), dst.toString(), "--dtype", "int8", "--max-shard", "50000"));
        assertTrue(err.toString().startsWith("jsora: ") && err.toString().contains(bad), err.toString());
        assertTrue(out.toString().contains("writing model-00002-of-"), "failed after some shards: " + out);
        try (Stream<Path> s = Files.list(dst)) {
            assertEquals(List.of(), s.collect(Collectors.toList()));
        }
    }

    /** One scale per row on request; a single .safetensors output holds the weights and their scales. */
    @Test
    void perRowScalesIntoOneFile() throws IOException {
        Path src = dir.resolve("t5");
        new FakeCheckpoints(3, (f, b) -> { }).writeT5(src, tiny(), Long.MAX_VALUE, false);
        Path file = dir.resolve("t5-int8.safetensors");
        assertEquals(0, run("convert", src.toString(), file.toString(), "--dtype", "int8", "--int8-block", "row"),
                err.toString());
        try (Checkpoint c = Checkpoints.open(file)) {
            String key = "encoder.block.0.layer.1.DenseReluDense.wo.weight";
            assertEquals(96, c.weight(key).scaleBlock());
            assertEquals(64, c.weight(key).int8Scales().length);
        }
        // inspect counts each int8 weight with its scales: the total is the file's data section
        out.getBuffer().setLength(0);
        assertEquals(0, run("inspect", file.toString()), err.toString());
        byte[] bytes = Files.readAllBytes(file);
        long header = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(out.toString().contains(String.format("%,d bytes", bytes.length - 8 - header)), out.toString());
        assertTrue(out.toString().contains(" I8 "), out.toString());
    }
}
