package jsora.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.weights.CheckpointException;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeConfigTest {
    @Test
    void latentFramesFollowTheMicroChunks() {
        VaeConfig c = VaeConfig.openSoraV12();
        assertEquals(5, c.microZFrameSize());
        assertEquals(20, c.latentFrames(68));
        assertEquals(15, c.latentFrames(51));
        assertEquals(5, c.latentFrames(17));
        assertEquals(7, c.latentFrames(24));
        assertEquals(10, c.latentFrames(34));
        assertEquals(1, c.latentFrames(1));
    }

    @Test
    void releasedConfigNamingPartsByTypeTakesTheHardCodedShapes() {
        VaeConfig c = VaeConfig.parse("{\"micro_frame_size\": 17, \"vae_2d\": {\"type\": \"VideoAutoencoderKL\","
                + " \"micro_batch_size\": 4}, \"vae_temporal\": {\"type\": \"VAE_Temporal_SD\"},"
                + " \"scale\": [3.85, 2.32, 2.33, 3.06], \"shift\": [-0.1, 0.34, 0.27, 0.98]}");
        assertArrayEquals(new int[] {128, 256, 512, 512}, c.spatial().blockOutChannels());
        assertEquals(128, c.temporal().filters());
        assertEquals(4, c.temporal().numResBlocks());
        assertEquals(4, c.temporal().timeDownsampleFactor());
        assertArrayEquals(new float[] {3.85f, 2.32f, 2.33f, 3.06f}, c.scale());
    }

    @Test
    void decodingRejectsAFrameCountThatDoesNotMatchTheLatent() {
        VideoAutoencoderPipeline vae = tiny(VideoAutoencoderPipeline.Parts.DECODER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vae.decodeTemporal(Tensor.zeros(1, 4, 7, 2, 2), 68));
        assertTrue(e.getMessage().contains("num_frames 68 needs 36 latent frames"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> vae.encode(Tensor.zeros(1, 3, 4, 16, 16), null, null));
        assertTrue(s.getMessage().contains("without its encoder"), s.getMessage());
    }

    @Test
    void checkpointMissingAKeyNamesFileAndKey(@TempDir Path tmp) throws Exception {
        Path dir = Golden.cases("vae-").get(0);
        byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        String key = "\"temporal_vae.decoder.conv1.conv.bias\":{\"dtype\":\"F32\",\"shape\":[32]";
        int at = text.indexOf(key);
        assertTrue(at > 0, "test fixture: key not found in header");
        // renaming a key keeps the header's length, so the file stays valid but lacks the key
        String renamed = text.substring(0, at) + key.replace("conv1", "convX") + text.substring(at + key.length());
        Path broken = tmp.resolve("model.safetensors");
        Files.write(broken, renamed.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CheckpointException e = assertThrows(CheckpointException.class, () -> VideoAutoencoderPipeline.load(broken,
                VaeConfig.parse(dir.resolve("config.json")), VideoAutoencoderPipeline.Parts.DECODER));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains(
                "temporal_vae.decoder.conv1.conv.bias"), e.getMessage());
    }

    @Test
    void sixteenBitStorageHalvesTheWeights() {
        Params p = Params.random(3, DType.F32).storedAs(DType.F16);
        assertEquals(DType.F16, p.weight("a.weight", 4, 3, 3, 3).dtype());
        assertEquals(DType.F32, p.weight("a.bias", 4).dtype());
    }

    private static VideoAutoencoderPipeline tiny(VideoAutoencoderPipeline.Parts parts) {
        VaeConfig c = new VaeConfig(new float[] {1, 1, 1, 1}, new float[] {0, 0, 0, 0}, 17, 2,
                new VaeConfig.Spatial(3, 3, 4, new int[] {8, 8}, 1, 4),
                new VaeConfig.Temporal(4, 4, 4, 8, 1, new int[] {1, 2}, new boolean[] {true}, 4));
        return new VideoAutoencoderPipeline(Params.random(1, DType.F32), c, parts);
    }
}
