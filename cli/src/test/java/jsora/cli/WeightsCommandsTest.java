package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jsora.tensor.DType;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jsora inspect} and {@code jsora convert} on the golden weight files, and their user errors. */
class WeightsCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return JsoraCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void inspectListsATensorWithAnEmptyName() throws Exception {
        byte[] header = "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putFloat(1f);
        Path f = Files.write(dir.resolve("empty-key.safetensors"), b.array());
        assertEquals(0, run("inspect", f.toString()), err.toString());
        assertTrue(out.toString().contains("total: 1 tensors"), out.toString());
    }

    @Test
    @Tag("golden")
    void inspectListsEveryTensorAndTheTotal() {
        for (Path f : Golden.weightFiles()) {
            out.getBuffer().setLength(0);
            assertEquals(0, run("inspect", f.toString()), err.toString());
            try (Checkpoint c = Checkpoints.open(f)) {
                long total = 0;
                for (String k : c.keys()) {
                    assertTrue(out.toString().contains(" " + k + " "), f + ": " + k + " not listed");
                    total += c.info(k).storedBytes();
                }
                assertTrue(out.toString().contains(String.format("total: %d tensors, %,d bytes", c.keys().size(), total)),
                        out.toString());
            }
        }
    }

    @Test
    @Tag("golden")
    void convertedFilesLoadToTheSameValuesInBlockOrder() throws Exception {
        Path o = dir.resolve("converted.safetensors");
        for (Path f : Golden.weightFiles()) {
            assertEquals(0, run("convert", f.toString(), o.toString()), err.toString());
            try (Checkpoint src = Checkpoints.open(f); Checkpoint dst = Checkpoints.open(o)) {
                assertEquals(BlockOrder.order(src.keys()), List.copyOf(dst.keys()), f.toString());
                for (String k : src.keys()) {
                    if (src.info(k).type().isFloat()) {
                        assertEquals(src.info(k).dtype, dst.info(k).dtype, f + " " + k);
                        assertArrayEquals(src.tensor(k).toArray(), dst.tensor(k).toArray(), f + " " + k);
                    } else {
                        assertArrayEquals(src.longs(k), dst.longs(k), f + " " + k);
                    }
                }
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    @Tag("golden")
    void convertingFp32ToBf16OrFp16ReproducesTheGoldenHalfFilesBitForBit() {
        int pairs = 0;
        for (Path half : Golden.weightFiles()) {
            DType t = Golden.halfType(half);
            if (t == null) {
                continue;
            }
            Path o = dir.resolve("half.safetensors");
            String dtype = t == DType.BF16 ? "bf16" : "f16";
            assertEquals(0, run("convert", Golden.fp32Reference(half).toString(), o.toString(), "--dtype", dtype),
                    err.toString());
            try (Checkpoint expect = Checkpoints.open(half); Checkpoint got = Checkpoints.open(o)) {
                assertEquals(expect.keys(), got.keys());
                for (String k : expect.keys()) {
                    assertArrayEquals(expect.weight(k).halfBits(), got.weight(k).halfBits(), half + " " + k);
                }
            }
            pairs++;
        }
        Assumptions.assumeTrue(pairs > 0, "no bf16/fp16 golden weight files");
    }

    @Test
    void userErrorsAreOneLine() {
        assertEquals(1, run("inspect", dir.resolve("missing.safetensors").toString()));
        assertTrue(err.toString().startsWith("jsora: ") && err.toString().contains("missing.safetensors"), err.toString());
        assertEquals(1, err.toString().trim().split("\n").length, err.toString());
    }
}
