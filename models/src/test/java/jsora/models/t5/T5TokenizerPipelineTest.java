package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each stage of the tokenizer on a toy vocabulary: Viterbi choice, unknown fusion, specials, Metaspace variants. */
class T5TokenizerPipelineTest {
    @TempDir
    Path dir;

    @Test
    void viterbiPrefersTheHigherScoringSegmentation() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        assertArrayEquals(new int[] {7, 1}, t.encode("ab"), "▁ab (-1) beats ▁a + b (-2.5)");
        assertEquals("\u2581ab", t.piece(7));
        assertArrayEquals(new int[] {4, 6, 1}, t.encode("aa"), "▁a + a");
    }

    @Test
    void consecutiveUnknownCharactersFuseIntoOneUnknown() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        assertArrayEquals(new int[] {4, 2, 8, 2, 1}, t.encode("axyzc\uD83D\uDE00"), "▁a <unk>(xyz) c <unk>(😀)");
    }

    @Test
    void specialTokensAreMatchedInTheRawTextAndSplitIt() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        assertArrayEquals(new int[] {4, 9, 3, 5, 1, 1}, t.encode("a<x>b</s>"), "each segment gets its own ▁");
    }

    @Test
    void whitespaceSplitDropsExtraSpaces() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        assertArrayEquals(t.encode("a b"), t.encode("  a \t\u00a0 b  "));
        assertArrayEquals(new int[] {1}, t.encode(" \n "));
    }

    @Test
    void metaspaceWithoutWhitespaceSplitKeepsSpacesAsPieces() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir,
                "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"always\",\"split\":true}");
        assertArrayEquals(new int[] {4, 3, 3, 5, 1}, t.encode("a  b"), "▁a ▁ ▁b: ▁b is no piece, so ▁ + b");
        T5Tokenizer never = ToyTokenizers.toy(dir,
                "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"never\",\"split\":true}");
        assertArrayEquals(new int[] {6, 1}, never.encode("a"), "no ▁ prefix");
        T5Tokenizer first = ToyTokenizers.toy(dir,
                "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"first\",\"split\":true}");
        assertArrayEquals(new int[] {4, 9, 6, 1}, first.encode("a<x>a"), "only the text's first segment");
    }

    @Test
    void fixedLengthEncodingPadsMasksAndTruncatesKeepingEos() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        FixedLengthEncoder four = new FixedLengthEncoder(t, 4);
        TokenizedPrompt shortOne = four.encode("ab");
        assertArrayEquals(new int[] {7, 1, 0, 0}, shortOne.ids());
        assertArrayEquals(new int[] {1, 1, 0, 0}, shortOne.attentionMask());
        assertEquals(2, shortOne.realTokens());
        assertFalse(shortOne.truncated());

        TokenizedPrompt exact = four.encode("ab ab ab");
        assertArrayEquals(new int[] {7, 7, 7, 1}, exact.ids());
        assertFalse(exact.truncated(), "3 pieces + </s> fill 4 exactly");

        TokenizedPrompt cut = four.encode("ab ab ab ab ab");
        assertArrayEquals(new int[] {7, 7, 7, 1}, cut.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1}, cut.attentionMask());
        assertTrue(cut.truncated());
        assertEquals(6, cut.fullLength());
        assertEquals("the prompt is 6 tokens long; the text encoder reads only the first 4 (the rest is ignored, as "
                + "in Open-Sora)", cut.truncationNote().orElseThrow());
        assertTrue(exact.truncationNote().isEmpty());
    }

    @Test
    void aPadIdInsideTheTextKeepsMaskOne() throws IOException {
        T5Tokenizer t = ToyTokenizers.toy(dir, ToyTokenizers.LEGACY_T5);
        TokenizedPrompt p = new FixedLengthEncoder(t, 5).encode("<pad>ab");
        assertArrayEquals(new int[] {0, 7, 1, 0, 0}, p.ids());
        assertArrayEquals(new int[] {1, 1, 1, 0, 0}, p.attentionMask());
    }
}
