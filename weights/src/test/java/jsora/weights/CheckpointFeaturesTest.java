package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Integer dtypes, shard indexes, key prefixes, model folders and the hub cache, block order, the writer. */
class CheckpointFeaturesTest {
    @TempDir
    Path dir;

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void integerAndBoolTensors() {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(-3).putInt(7).putInt(-8).put((byte) 1).put((byte) 0);
        Path p = TestFiles.write(dir, "ints.safetensors", TestFiles.safetensors("{"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[16,18]}}", b.array()));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertArrayEquals(new long[] {-3}, c.longs("l"));
            assertArrayEquals(new long[] {7, -8}, c.longs("i"));
            assertArrayEquals(new long[] {1, 0}, c.longs("m"));
            assertEquals(StorageType.BOOL, c.info("m").type());
        }
    }

    @Test
    void rowsKeepTheStoredDtype() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1, 2, 3, 4, 5, 6}) {
            b.putShort(Half.floatToBf16(f));
        }
        Path p = TestFiles.write(dir, "emb.safetensors", TestFiles.safetensors(
                "{\"e\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[0,12]}}", b.array()));
        try (Checkpoint c = Checkpoints.open(p)) {
            WeightTensor r = c.rows("e", new int[] {2, 0, 2});
            assertEquals(DType.BF16, r.dtype());
            assertArrayEquals(new int[] {3, 2}, r.shape());
            assertEquals(List.of(5f, 6f, 1f, 2f, 5f, 6f), List.of(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)));
        }
    }

    @Test
    void shardedCheckpointThroughItsIndex() {
        TestFiles.write(dir, "model-00001-of-00002.safetensors", TestFiles.safetensors("{" + A + "}",
                TestFiles.floats(1, 2)));
        TestFiles.write(dir, "model-00002-of-00002.safetensors", TestFiles.safetensors(
                "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", TestFiles.floats(9)));
        Path index = TestFiles.write(dir, "model.safetensors.index.json", ("{\"metadata\":{\"total_size\":12},"
                + "\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}")
                .getBytes());
        try (Checkpoint c = Checkpoints.open(dir)) {
            assertEquals(index, c.path());
            assertEquals(List.of("a", "b"), List.copyOf(c.keys()));
            assertArrayEquals(new float[] {9}, c.weight("b").f32());
            assertArrayEquals(new float[] {1, 2}, c.weight("a").f32());
        }
        TestFiles.write(dir, "bad.index.json", "{\"weight_map\":{\"a\":\"../x.safetensors\"}}".getBytes());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(dir.resolve("bad.index.json")));
        assertTrue(e.getMessage().contains("must be a file name"), e.getMessage());
        TestFiles.write(dir, "wrong.index.json", "{\"weight_map\":{\"z\":\"model-00002-of-00002.safetensors\"}}".getBytes());
        e = assertThrows(CheckpointException.class, () -> Checkpoints.open(dir.resolve("wrong.index.json")));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("model-00002-of-00002"), e.getMessage());
    }

    @Test
    void wrapperPrefixesAreStrippedOnlyWhenEveryKeyHasThem() {
        Path p = TestFiles.write(dir, "ddp.safetensors", TestFiles.safetensors(
                "{\"model.module.a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"model.module.b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                TestFiles.floats(1, 2, 3)));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals(List.of("a", "b"), List.copyOf(c.keys()));
            assertArrayEquals(new float[] {3}, c.weight("b").f32());
        }
        assertEquals("", KeyPrefixes.commonWrapper(java.util.Set.of("model.x", "other.y")));
        assertEquals("module.", KeyPrefixes.commonWrapper(java.util.Set.of("module.x", "module.model_y")));
    }

    @Test
    void filesFoldersAndHubIds() throws IOException {
        Path snap = dir.resolve("hub/models--hpcaitech--OpenSora-STDiT-v3/snapshots/abc123");
        Files.createDirectories(snap);
        TestFiles.write(snap, "model.safetensors", TestFiles.safetensors("{" + A + "}", TestFiles.floats(1, 2)));
        TestFiles.write(snap, "config.json", "{}".getBytes());
        Files.createDirectories(dir.resolve("hub/models--hpcaitech--OpenSora-STDiT-v3/refs"));
        Files.writeString(dir.resolve("hub/models--hpcaitech--OpenSora-STDiT-v3/refs/main"), "abc123");
        HubCache hf = new HubCache(Map.of("HF_HOME", dir.toString()), dir.resolve("nohome"));
        ModelLocator.Location loc = ModelLocator.locate("hpcaitech/OpenSora-STDiT-v3", hf);
        assertEquals(snap.resolve("model.safetensors"), loc.checkpoint());
        assertEquals(snap.resolve("config.json"), loc.config());
        assertEquals(snap, ModelLocator.locate("hpcaitech/OpenSora-STDiT-v3@abc123", hf).checkpoint().getParent());
        assertEquals(dir.resolve("home/.cache/huggingface/hub"), new HubCache(Map.of(), dir.resolve("home")).root());
        assertEquals(snap.resolve("model.safetensors"), ModelLocator.locate(snap.toString(), hf).checkpoint());
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelLocator.locate("DeepFloyd/t5-v1_1-xxl", hf));
        assertTrue(e.getMessage().contains("not in the Hugging Face cache"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> ModelLocator.locate(dir.resolve("nothing.bin").toString(), hf));
        assertTrue(e.getMessage().contains("nothing.bin"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> ModelLocator.locate("typo/model.safetensors", hf));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> ModelLocator.inFolder(dir));
        assertTrue(e.getMessage().contains("holds no weights"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> ModelLocator.locate("/dev/null", hf));
        assertTrue(e.getMessage().equals("/dev/null: not a checkpoint file or folder (a device or pipe)"), e.getMessage());
    }

    @Test
    void blockOrderIsNumericAndInterleavesSiblingFamilies() {
        List<String> stored = List.of("final_layer.w", "spatial_blocks.0.a", "spatial_blocks.10.a", "spatial_blocks.2.a",
                "t_embedder.w", "temporal_blocks.0.a", "temporal_blocks.10.a", "temporal_blocks.2.a", "x_embedder.w");
        assertEquals(List.of("final_layer.w", "t_embedder.w", "x_embedder.w", "spatial_blocks.0.a", "temporal_blocks.0.a",
                "spatial_blocks.2.a", "temporal_blocks.2.a", "spatial_blocks.10.a", "temporal_blocks.10.a"),
                BlockOrder.order(stored));
        List<String> t5 = List.of("shared.weight", "encoder.block.1.x", "encoder.block.0.x", "encoder.block.0.y",
                "encoder.final_layer_norm.weight");
        assertEquals(List.of("shared.weight", "encoder.final_layer_norm.weight", "encoder.block.0.x", "encoder.block.0.y",
                "encoder.block.1.x"), BlockOrder.order(t5));
        List<String> vae = List.of("vae.encoder.conv_in.w", "vae.encoder.down.0.a", "vae.encoder.down.1.a",
                "vae.decoder.up.0.a", "vae.decoder.up.1.a", "vae.decoder.conv_out.w");
        assertEquals(List.of("vae.encoder.conv_in.w", "vae.decoder.conv_out.w", "vae.encoder.down.0.a",
                "vae.encoder.down.1.a", "vae.decoder.up.0.a", "vae.decoder.up.1.a"), BlockOrder.order(vae),
                "families under different parents are not interleaved");
        assertEquals(List.of(List.of("encoder.block.0.x", "encoder.block.0.y"), List.of("encoder.block.1.x")),
                BlockOrder.blocks(t5, "encoder.block."));
        assertEquals(List.of(List.of("spatial_blocks.0.a", "temporal_blocks.0.a"),
                List.of("spatial_blocks.2.a", "temporal_blocks.2.a"), List.of("spatial_blocks.10.a", "temporal_blocks.10.a")),
                BlockOrder.blocks(stored, "spatial_blocks.", "temporal_blocks."));
    }

    @Test
    void writerConvertsRoundsAndLeavesNoTemporaryFile() throws IOException {
        float tie = Float.intBitsToFloat(0x3f808000); // exactly between two bf16 values: rounds to even (0x3f80)
        Path src = TestFiles.write(dir, "src.safetensors", TestFiles.safetensors("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]}}",
                ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putFloat(tie).putFloat(-2.5f).putFloat(1e-3f)
                        .putLong(42).array()));
        Path out = dir.resolve("out.safetensors");
        try (Checkpoint c = Checkpoints.open(src)) {
            SafeTensorsWriter.write(out, c, List.of("n", "w"), StorageType.BF16, c.metadata());
        }
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(List.of("n", "w"), List.copyOf(c.keys()));
            assertEquals(Map.of("k", "v"), c.metadata());
            assertArrayEquals(new long[] {42}, c.longs("n"));
            WeightTensor w = c.weight("w");
            assertEquals(DType.BF16, w.dtype());
            assertEquals((short) 0x3f80, w.halfBits()[0]);
            assertEquals(Half.floatToBf16(1e-3f), w.halfBits()[2]);
        }
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(out), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("out.safetensors", "src.safetensors"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList()));
        }
    }
}
