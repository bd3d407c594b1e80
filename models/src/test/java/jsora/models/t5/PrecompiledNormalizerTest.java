package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hugging Face's per-grapheme use of the charsmap, where it differs from sentencepiece's longest match (expected values
 * from HF tokenizers 0.23 on the real tokenizer.json).
 */
class PrecompiledNormalizerTest {
    @Test
    void clusterBoundaries() {
        assertEquals(2, GraphemeClusters.clusterEnd("\r\nx", 0), "CR LF");
        assertEquals(3, GraphemeClusters.clusterEnd("e\u0301\u0302x", 0), "marks join the base");
        assertEquals(1, GraphemeClusters.clusterEnd("\u200bx", 0), "a format control stands alone");
        assertEquals(2, GraphemeClusters.clusterEnd("a\u200dx", 0), "ZWJ joins the previous character");
        assertEquals(5, GraphemeClusters.clusterEnd("\ud83d\udc68\u200d\ud83d\udc69x", 0), "emoji ZWJ sequence");
        assertEquals(4, GraphemeClusters.clusterEnd("\ud83c\uddef\ud83c\uddf5\ud83c\uddef", 0), "regional pairs");
        assertEquals(2, GraphemeClusters.clusterEnd("\u1100\u1161\u1100", 0), "Hangul L V");
    }

    @Tag("golden")
    @Test
    void aShortClusterIsReplacedWholeByItsFirstKey() throws IOException {
        T5Tokenizer t = TokenizerGoldenCases.realTokenizer();
        assertEquals("ffi", t.normalize("\ufb03\u0301"), "the accent after the ligature is dropped");
        assertEquals("1", t.normalize("\u2460\u0345"));
        assertEquals(" x", t.normalize("\u00a0\u0301x"));
        assertEquals("\u00e9", t.normalize("e\u0301"), "a two-character key composes");
        assertArrayEquals(new int[] {209, 2, 357, 1}, t.encode("\u00bd\u200d"), "½ + ZWJ: ZWJ dropped, no space");
    }

    @Tag("golden")
    @Test
    void clustersOfSixBytesOrMoreGoCharacterByCharacter() throws IOException {
        T5Tokenizer t = TokenizerGoldenCases.realTokenizer();
        assertEquals("\u1100\u1161", t.normalize("\u1100\u1161"), "conjoining jamo are not composed");
        assertArrayEquals(new int[] {3, 2, 1}, t.encode("\u1100\u1161"));
    }
}
