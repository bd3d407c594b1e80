package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteLevelTokenizerTest {
    private final ByteLevelTokenizer tokenizer = new ByteLevelTokenizer();

    @Test
    void oneIdPerUtf8ByteThenEndOfSequence() {
        assertArrayEquals(new int[] {'a' + 2, 'b' + 2, 1}, tokenizer.encode("ab"));
        assertArrayEquals(new int[] {0xC3 + 2, 0xA9 + 2, 1}, tokenizer.encode("\u00e9"), "é is two bytes");
        assertArrayEquals(new int[] {1}, tokenizer.encode(""));
    }

    @Test
    void everyIdStaysInsideTheVocabulary() {
        String all = "\u0000\u007f\u00ff\uffff\uD83D\uDE00 any text";
        assertTrue(Arrays.stream(tokenizer.encode(all)).allMatch(id -> id > 0 && id < tokenizer.vocabularySize()));
        assertEquals(258, tokenizer.vocabularySize());
    }

    @Test
    void paddedAndTruncatedLikeT5() {
        TokenizedPrompt p = new FixedLengthEncoder(tokenizer, 4).encode("hello");
        assertArrayEquals(new int[] {'h' + 2, 'e' + 2, 'l' + 2, 1}, p.ids());
        assertTrue(p.truncated());
    }
}
