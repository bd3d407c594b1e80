package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The demo model's tokenizer ({@code train/make_tokenizer.py}, shipped as a resource) read by the real T5 tokenizer
 * code. The expected ids are what Hugging Face tokenizers 0.23.2 gives for the same file.
 */
class DemoTokenizerTest {
    private static T5Tokenizer demo() throws Exception {
        return T5Tokenizer.load(resource("/jsora/models/pipeline/demo-tokenizer.json"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DemoTokenizerTest.class.getResource(name).toURI());
    }

    private static int[] ids(T5Tokenizer t, String text) {
        return t.addSpecialTokens(t.tokenize(text));
    }

    @Test
    void captionsAndTheScoreSuffixAsHuggingFaceCutsThem() throws Exception {
        T5Tokenizer t = demo();
        assertArrayEquals(new int[] {3, 4, 9, 11, 13, 1}, ids(t, "a red circle moving right"));
        assertArrayEquals(new int[] {3, 7, 10, 11, 14, 19, 16, 17, 18, 26, 19, 35, 19, 1},
                ids(t, "A Yellow SQUARE moving up. aesthetic score: 6.5."));
    }

    @Test
    void wordsOutsideTheVocabularyBecomeUnknown() throws Exception {
        T5Tokenizer t = demo();
        assertArrayEquals(new int[] {3, 2, 2, 11, 2, 1}, ids(t, "a purple triangle moving sideways"));
        assertEquals("<unk>", t.piece(2));
    }

    /** Hugging Face's Lowercase: per character, İ to i + combining dot, a final Σ to σ (no context rule). */
    @Test
    void lowercaseMapsEachCharacterAlone() {
        assertEquals("i\u0307stanbul οδοσ straße", TokenizerJsonReader.lowercase("İSTANBUL ΟΔΟΣ Straße"));
    }
}
