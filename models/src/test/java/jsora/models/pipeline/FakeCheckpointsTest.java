package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.models.t5.T5Config;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Output;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.nn.Activation;
import jsora.tensor.Tensor;
import jsora.weights.Checkpoint;
import jsora.weights.CheckpointException;
import jsora.weights.Checkpoints;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny fake checkpoints load through the real loaders, in the released layouts, with deterministic bytes. */
class FakeCheckpointsTest {
    static final T5Config T5 = new T5Config(100, 32, 8, 4, 64, 3, 32, 128, 1e-6f, Activation.GELU_TANH);
    static final STDiT3Config STDIT = new STDiT3Config(32, 2, 2, 2.0, 4, new int[] {1, 2, 2}, 16, 6, 512, true, true, 0);
    /** Embedding 12,800 bytes, one T5 layer 4·32·32·4 + 3·32·64·4 + 2·32·4 = 41,216: one shard each. */
    static final long SHARD = 50_000;

    @TempDir
    Path dir;

    private final List<Path> announced = new ArrayList<>();
    private final FakeCheckpoints fake = new FakeCheckpoints(5, (file, bytes) -> announced.add(file));

    private static void assertShapes(Map<String, int[]> expected, Checkpoint c) {
        assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(c.keys().stream()
                .collect(Collectors.toMap(k -> k, k -> 0))).keySet(), c.path().toString());
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), c.info(e.getKey()).shape, e.getKey());
        }
    }

    private static void assertFinite(Tensor t) {
        for (float v : t.toArray()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void t5ShardsLoadThroughTheIndexAndTheEncoder() {
        Path t5 = dir.resolve("t5");
        List<Path> shards = fake.writeT5(t5, T5, SHARD, false);
        assertEquals(3, shards.size());
        assertEquals(t5.resolve("pytorch_model-00001-of-00003.bin"), shards.get(0));
        assertEquals(shards, announced);
        assertEquals(T5.toMetadata(), T5Config.read(t5.resolve("config.json")).toMetadata());
        try (Checkpoint c = Checkpoints.open(t5)) {
            assertShapes(FakeCheckpoints.t5Shapes(T5), c);
            assertArrayEquals(c.weight("shared.weight").f32(), c.weight("encoder.embed_tokens.weight").f32());
            float[] norm = c.weight("encoder.final_layer_norm.weight").f32();
            for (float v : norm) {
                assertEquals(1, v, 0.15);
            }
        }
        T5Output out = T5Encoder.open(t5.toString(), Long.MAX_VALUE).encode(new int[][] {{5, 7, 1}},
                new int[][] {{1, 1, 1}});
        assertFinite(out.y);
    }

    @Test
    void forcedZip64ShardsLoad() {
        Path t5 = dir.resolve("t5");
        fake.writeT5(t5, T5, FakeCheckpoints.HF_MAX_SHARD_BYTES, true);
        try (Checkpoint c = Checkpoints.open(t5)) {
            assertShapes(FakeCheckpoints.t5Shapes(T5), c);
        }
    }

    @Test
    void stditLoadsAndRuns() {
        Path p = dir.resolve("stdit");
        fake.writeStdit(p, STDIT);
        try (Checkpoint c = Checkpoints.open(p)) {
            assertShapes(STDIT.parameterShapes(), c);
        }
        STDiT3 model = STDiT3.load(p);
        Tensor x = Tensor.zeros(1, 4, 2, 4, 4);
        Tensor y = Tensor.zeros(1, 1, 6, 16);
        assertFinite(model.forward(new STDiT3.Input(x, new float[] {500}, y, new float[] {24}, 32, 32)));
    }

    @Test
    void vaeLoadsWithItsConfig() {
        Path p = dir.resolve("vae");
        VaeConfig config = VaeConfig.parse(DemoModels.VAE_CONFIG);
        fake.writeVae(p, config);
        VaeConfig read = VaeConfig.parse(p.resolve("config.json"));
        assertEquals(FakeCheckpoints.vaeJson(config).toString(), FakeCheckpoints.vaeJson(read).toString());
        try (Checkpoint c = Checkpoints.open(p)) {
            assertArrayEquals(config.scale(), c.tensor("scale").toArray());
        }
        VideoAutoencoderPipeline vae = VideoAutoencoderPipeline.load(p.resolve("model.safetensors"), read,
                VideoAutoencoderPipeline.Parts.BOTH);
        assertFinite(vae.decode(Tensor.zeros(1, 4, 5, 2, 2), 17));
    }

    @Test
    @Tag("golden")
    void vaeKeysAreTheReferenceKeys() {
        for (Path c : Golden.cases("vae-pipeline-")) {
            try (Checkpoint golden = Checkpoints.open(c.resolve("model.safetensors"))) {
                Map<String, int[]> shapes = FakeCheckpoints.vaeShapes(VaeConfig.parse(c.resolve("config.json")));
                // the golden file keeps the "spatial_vae.module." prefix only because "scale"/"shift" lack it
                assertShapes(shapes, golden);
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        fake.writeT5(dir.resolve("a/t5"), T5, SHARD, false);
        fake.writeStdit(dir.resolve("a/stdit"), STDIT);
        fake.writeT5(dir.resolve("b/t5"), T5, SHARD, false);
        fake.writeStdit(dir.resolve("b/stdit"), STDIT);
        new FakeCheckpoints(6, (f, b) -> { }).writeStdit(dir.resolve("c/stdit"), STDIT);
        Set<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("a"))) {
            files = s.filter(Files::isRegularFile).map(dir.resolve("a")::relativize).collect(Collectors.toSet());
        }
        assertEquals(7, files.size(), files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)),
                    f.toString());
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/stdit/model.safetensors")),
                Files.readAllBytes(dir.resolve("c/stdit/model.safetensors"))));
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void unwritableFolderFailsNamingIt() throws IOException {
        Path file = Files.createFile(dir.resolve("occupied"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> fake.writeStdit(file.resolve("x"), STDIT));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
