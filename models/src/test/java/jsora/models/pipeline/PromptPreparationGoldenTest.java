package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.stream.Stream;
import jsora.models.caption.CaptionCleaner;
import jsora.models.t5.T5Tokenizer;
import jsora.models.testing.GoldenJsonLines;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Exact parity with every {@code prompt-preprocessing*} golden case (Open-Sora 1.2's own functions): the strings after
 * each stage, and the T5 ids of the prepared prompt.
 */
@Tag("golden")
class PromptPreparationGoldenTest {
    private static final PromptPreparation OPEN_SORA = PromptPreparation.openSoraDefaults();
    private static final PromptPreparation NO_SCORE = new PromptPreparation(null, null, null, true);

    @TestFactory
    Stream<DynamicTest> preparedTextMatchesTheReference() {
        return GoldenJsonLines.cases("prompt-preprocessing").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").getAsString(), () -> {
                    String text = c.get("text").getAsString();
                    assertEquals(c.get("with_score").getAsString(), OPEN_SORA.appendScores(text), "with_score");
                    assertEquals(c.get("clean_caption_once").getAsString(),
                            CaptionCleaner.clean(c.get("with_score").getAsString()), "clean_caption once");
                    assertEquals(c.get("cleaned").getAsString(), OPEN_SORA.prepare(text), "cleaned");
                    assertEquals(c.get("cleaned_no_score").getAsString(), NO_SCORE.prepare(text),
                            "cleaned_no_score");
                }));
    }

    @TestFactory
    Stream<DynamicTest> preparedPromptTokenizesLikeTheReference() throws IOException {
        T5Tokenizer tokenizer = T5Tokenizer.load(Golden.requireTokenizer().resolve("tokenizer.json"));
        return GoldenJsonLines.cases("prompt-preprocessing").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").getAsString(), () -> {
                    int[] expected = c.getAsJsonArray("ids").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
                    assertArrayEquals(expected, tokenizer.encode(OPEN_SORA.prepare(c.get("text").getAsString())));
                }));
    }
}
