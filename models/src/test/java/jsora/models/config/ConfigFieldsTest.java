package jsora.models.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.models.stdit.STDiT3Config;
import jsora.models.vae.VaeConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A hostile value in any size or count field of a VAE or STDiT3 config.json (0, negative, fractional, not a number)
 * is refused with a message naming the field, never a division by zero or an accepted 64.5.
 */
class ConfigFieldsTest {
    private static final String SPATIAL = "vae_2d.diffusers_AutoencoderKL_config.";
    private static final String TEMPORAL = "vae_temporal.";

    @Provide
    Arbitrary<String> vaeField() {
        return Arbitraries.of("micro_frame_size", "vae_2d.micro_batch_size", SPATIAL + "in_channels",
                SPATIAL + "out_channels", SPATIAL + "latent_channels", SPATIAL + "layers_per_block",
                SPATIAL + "norm_num_groups", SPATIAL + "block_out_channels", TEMPORAL + "in_out_channels",
                TEMPORAL + "latent_embed_dim", TEMPORAL + "embed_dim", TEMPORAL + "filters",
                TEMPORAL + "num_res_blocks", TEMPORAL + "channel_multipliers", TEMPORAL + "num_groups");
    }

    @Provide
    Arbitrary<String> stditField() {
        return Arbitraries.of("hidden_size", "depth", "num_heads", "in_channels", "caption_channels",
                "model_max_length", "input_sq_size", "patch_size");
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.of("0", "-1", "64.5", "\"big\"", "true", "{}", "1e300", "-2147483649"),
                Arbitraries.integers().lessOrEqual(0).map(String::valueOf),
                Arbitraries.doubles().between(-1e6, 1e6).filter(d -> d != Math.rint(d)).map(String::valueOf));
    }

    /** {@code {"a": {"b": {"c": value}}}} for the path a.b.c; a list field gets the value as its one element. */
    private static JsonObject config(String path, String value) {
        String[] parts = path.split("\\.");
        String leaf = parts[parts.length - 1];
        boolean list = leaf.equals("block_out_channels") || leaf.equals("channel_multipliers")
                || leaf.equals("patch_size");
        JsonObject root = new JsonObject();
        JsonObject o = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonObject next = new JsonObject();
            o.add(parts[i], next);
            o = next;
        }
        o.add(leaf, JsonParser.parseString(list ? "[" + value + "]" : value));
        return root;
    }

    /** The message names the field by its whole path from the top, e.g. 'vae_temporal.filters'. */
    private static void refusedNaming(RuntimeException e, String path) {
        assertTrue(e.getMessage().contains("'" + path), e.getMessage());
    }

    @Property(tries = 300)
    void vaeFields(@ForAll("vaeField") String path, @ForAll("hostile") String value) {
        String json = config(path, value).toString();
        refusedNaming(assertThrows(IllegalArgumentException.class, () -> VaeConfig.parse(json), json), path);
    }

    @Test
    void vaeListsOfTheWrongKindNameTheElement() {
        for (String[] c : new String[][] {{"{\"scale\": [1.0, \"big\"]}", "'scale[1]' is not a number"},
                {"{\"shift\": 1e39}", "'shift' is not a finite number in float32"},
                {"{\"vae_temporal\": {\"temporal_downsample\": [true, 1]}}",
                    "'vae_temporal.temporal_downsample[1]' is not true or false"}}) {
            String m = assertThrows(IllegalArgumentException.class, () -> VaeConfig.parse(c[0])).getMessage();
            assertTrue(m.contains(c[1]), m);
        }
    }

    @Property(tries = 200)
    void stditFields(@ForAll("stditField") String path, @ForAll("hostile") String value) throws IOException {
        Path f = Files.createTempFile("stdit3", ".json");
        try {
            Files.writeString(f, config(path, value).toString(), StandardCharsets.UTF_8);
            refusedNaming(assertThrows(RuntimeException.class, () -> STDiT3Config.read(f)), path);
        } finally {
            Files.delete(f);
        }
    }
}
