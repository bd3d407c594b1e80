package jsora.models.stdit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;
import jsora.weights.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint that does not fit the model fails with the file and key named. */
class ParamsTest {
    @TempDir
    Path dir;

    /** A safetensors file holding one F32 tensor "a" of shape [2]. */
    private Path oneTensorFile() throws IOException {
        byte[] header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putFloat(1f).putFloat(2f);
        Path f = dir.resolve("m.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void wrongShapeNamesKeyAndShapes() throws IOException {
        try (SafeTensors st = SafeTensors.open(oneTensorFile())) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> Params.of(st).weight("a", 3));
            assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("m.safetensors"), e.getMessage());
        }
    }

    @Test
    void missingKeyIsNamedWithItsPrefix() throws IOException {
        try (SafeTensors st = SafeTensors.open(oneTensorFile())) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Params.of(st).under("spatial_blocks.0.").weight("attn.qkv.weight", 6, 2));
            assertTrue(e.getMessage().contains("spatial_blocks.0.attn.qkv.weight"), e.getMessage());
        }
    }

    @Test
    void readsAFittingTensor() throws IOException {
        try (SafeTensors st = SafeTensors.open(oneTensorFile())) {
            assertEquals(2f, Params.of(st).tensor("a", 2).at(1));
        }
    }

    @Test
    void badConfigNamesTheFile() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"hidden_size\": 30, \"num_heads\": 4}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> STDiT3Config.read(f));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("hidden_size"), e.getMessage());
    }

    @Test
    void tensorsAlreadyReadAreCheckedToo() {
        Params p = Params.of(Map.of("a", WeightTensor.ofF32(new float[] {1, 2}, 2)), "block pair 0");
        assertEquals(2f, p.tensor("a", 2).at(1));
        CheckpointException shape = assertThrows(CheckpointException.class, () -> p.weight("a", 1, 2));
        assertTrue(shape.getMessage().startsWith("block pair 0: tensor 'a' has shape [2]"), shape.getMessage());
        CheckpointException missing = assertThrows(CheckpointException.class, () -> p.weight("b", 2));
        assertTrue(missing.getMessage().contains("'b'"), missing.getMessage());
    }
}
