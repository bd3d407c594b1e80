package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Exact string parity with every {@code prompt-preprocessing*} golden case (Open-Sora 1.2's own functions). */
@Tag("golden")
class PromptPreparationGoldenTest {
    private static final PromptPreparation OPEN_SORA = PromptPreparation.openSoraDefaults();
    private static final PromptPreparation NO_SCORE = new PromptPreparation(null, null, null, true);

    static List<JsonObject> cases() {
        List<JsonObject> out = new ArrayList<>();
        for (Path folder : Golden.cases("prompt-preprocessing")) {
            try {
                for (String line : Files.readAllLines(folder.resolve("cases.jsonl"), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(JsonParser.parseString(line).getAsJsonObject());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> preparedTextMatchesTheReference() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("id").getAsString(), () -> {
            String text = c.get("text").getAsString();
            assertEquals(c.get("with_score").getAsString(), OPEN_SORA.appendScores(text), "with_score");
            assertEquals(c.get("clean_caption_once").getAsString(),
                    CaptionCleaner.clean(c.get("with_score").getAsString()), "clean_caption once");
            assertEquals(c.get("cleaned").getAsString(), OPEN_SORA.prepare(text), "cleaned");
            assertEquals(c.get("cleaned_no_score").getAsString(), NO_SCORE.prepare(text), "cleaned_no_score");
        }));
    }
}
