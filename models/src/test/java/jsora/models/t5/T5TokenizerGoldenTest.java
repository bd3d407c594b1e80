package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Exact parity with every case of the {@code t5-tokenizer*} goldens (HF tokenizers / transformers.js ids). */
@Tag("golden")
class T5TokenizerGoldenTest {
    @TestFactory
    Stream<DynamicTest> idsMatchTheReference() throws IOException {
        T5Tokenizer tokenizer = TokenizerGoldenCases.realTokenizer();
        return TokenizerGoldenCases.cases("t5-tokenizer").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").getAsString() + " " + c.get("category").getAsString(), () -> {
                    String text = c.get("text").getAsString();
                    assertArrayEquals(TokenizerGoldenCases.ints(c, "ids"), tokenizer.encode(text), text);
                }));
    }

    @TestFactory
    Stream<DynamicTest> paddedIdsAndMaskMatchOpenSora() throws IOException {
        FixedLengthEncoder encoder = new FixedLengthEncoder(TokenizerGoldenCases.realTokenizer());
        return TokenizerGoldenCases.cases("t5-tokenizer").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").getAsString(), () -> check(encoder, c)));
    }

    private static void check(FixedLengthEncoder encoder, JsonObject c) {
        TokenizedPrompt p = encoder.encode(c.get("text").getAsString());
        int[] mask = TokenizerGoldenCases.ints(c, "attention_mask");
        assertArrayEquals(TokenizerGoldenCases.ints(c, "input_ids"), p.ids());
        assertArrayEquals(mask, p.attentionMask());
        assertEquals(c.get("truncated").getAsBoolean(), p.truncated());
        assertEquals(c.get("num_ids").getAsInt(), p.fullLength());
        assertEquals(java.util.Arrays.stream(mask).sum(), p.realTokens());
    }
}
