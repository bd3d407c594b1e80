package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jsora.tensor.WeightTensor;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming loader over the real key layouts of the golden checkpoints: T5 blocks (one pass), STDiT3 block pairs
 * (cyclic, several denoising steps), VAE decoder up blocks. Every streamed tensor equals a direct read, the groups
 * cover every tensor of their families, and the memory budget (two groups) holds.
 */
@Tag("golden")
class StreamingGoldenTest {
    private static final List<List<String>> LAYOUTS = List.of(List.of("encoder.block."),
            List.of("spatial_blocks.", "temporal_blocks."), List.of("spatial_vae.module.decoder.up_blocks."));

    @Test
    void goldenBlocksStreamToTheSameTensors() {
        int streamed = 0;
        for (Path f : Golden.weightFiles()) {
            try (Checkpoint c = Checkpoints.open(f)) {
                for (List<String> families : LAYOUTS) {
                    List<List<String>> blocks = BlockOrder.blocks(c.keys(), families.toArray(new String[0]));
                    if (blocks.size() < 2) {
                        continue;
                    }
                    long inFamilies = c.keys().stream().filter(k -> families.stream().anyMatch(k::startsWith)).count();
                    assertEquals(inFamilies, blocks.stream().mapToLong(List::size).sum(), f + " " + families);
                    stream(c, blocks);
                    streamed++;
                }
            }
        }
        Assumptions.assumeTrue(streamed > 0, "no golden checkpoint with transformer blocks");
    }

    private static void stream(Checkpoint c, List<List<String>> blocks) {
        List<WeightGroup<Map<String, WeightTensor>>> groups = new ArrayList<>();
        long largest = 0;
        for (int i = 0; i < blocks.size(); i++) {
            WeightGroup<Map<String, WeightTensor>> g = WeightGroup.tensors(c, "block " + i, blocks.get(i));
            groups.add(g);
            largest = Math.max(largest, g.bytes());
        }
        try (StreamingLoader<Map<String, WeightTensor>> loader = new StreamingLoader<>(groups, 2 * largest, true)) {
            for (int step = 0; step < 2; step++) {
                for (int i = 0; i < loader.size(); i++) {
                    Map<String, WeightTensor> got = loader.get(i);
                    assertEquals(blocks.get(i), List.copyOf(got.keySet()));
                    for (String k : got.keySet()) {
                        assertArrayEquals(c.tensor(k).toArray(), got.get(k).toTensor().toArray(), k);
                    }
                }
            }
            assertTrue(loader.stats().peakResidentBytes <= 2 * largest, loader.stats().toString());
        }
    }
}
