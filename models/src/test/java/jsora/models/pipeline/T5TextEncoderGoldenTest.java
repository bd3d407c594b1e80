package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.models.t5.FixedLengthEncoder;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Tokenizer;
import jsora.models.t5.TokenizedPrompt;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's text stage on the {@code e2e-*} golden cases: the raw prompt prepared as Open-Sora does, the real
 * tokenizer (ids and mask exactly), the case's tiny T5 opened like a downloaded folder; y within 1e-4 absolute on the
 * real tokens (STDiT3 reads only those).
 */
@Tag("golden")
class T5TextEncoderGoldenTest {
    @TempDir
    Path dir;

    @Test
    void promptToCaptionMatchesTheReference() throws IOException {
        for (Path c : Golden.cases("e2e-")) {
            JsonObject cfg = JsonParser.parseString(Files.readString(c.resolve("config.json"))).getAsJsonObject();
            Path t5 = Files.createDirectories(dir.resolve(c.getFileName()).resolve("t5"));
            Files.writeString(t5.resolve("config.json"), cfg.getAsJsonObject("t5").toString());
            Files.createSymbolicLink(t5.resolve("model.safetensors"), c.resolve("t5.safetensors").toAbsolutePath());
            String prompt = new PromptPreparation(cfg.get("aes").getAsDouble(), null, null, true)
                    .prepare(cfg.get("prompt").getAsString());
            assertEquals(cfg.get("cleaned_prompt").getAsString(), prompt);
            FixedLengthEncoder fixed = new FixedLengthEncoder(T5Tokenizer.load(Golden.requireTokenizer()),
                    cfg.get("model_max_length").getAsInt());
            try (SafeTensors io = SafeTensors.open(c.resolve("io.safetensors"));
                    T5TextEncoder text = new T5TextEncoder(fixed, T5Encoder.open(t5.toString(), 1L << 30))) {
                TokenizedPrompt tokens = text.tokenize(prompt);
                long[] ids = io.longs("in.input_ids");
                long[] mask = io.longs("in.attention_mask");
                for (int i = 0; i < ids.length; i++) {
                    assertEquals(ids[i], tokens.ids()[i], c + " token " + i);
                    assertEquals(mask[i], tokens.attentionMask()[i], c + " mask " + i);
                }
                Caption caption = text.encode(prompt);
                Tensor ref = io.tensor("y");
                int width = ref.dim(3);
                int real = tokens.realTokens();
                double err = Approx.maxAbsDiff(ref.reshape(-1, width).slice(0, real),
                        caption.y().reshape(-1, width).slice(0, real));
                assertTrue(err <= 1e-4, c + " T5 y max |diff| " + err);
                assertEquals(real, (int) sum(caption.mask()), "mask counts the real tokens");
                System.out.printf("%s: %d tokens exact, y max |diff| %.3g%n", c.getFileName(), real, err);
            }
        }
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.data()[t.offset() + i];
        }
        return s;
    }
}
