package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Empty, over-long and out-of-vocabulary prompts on the real tokenizer, and tokenizer files of the wrong kind. */
class T5TokenizerBadInputTest {
    @TempDir
    Path dir;

    @Tag("golden")
    @Test
    void emptyPromptIsJustEndOfSequenceAndPadding() throws IOException {
        TokenizedPrompt p = new FixedLengthEncoder(TokenizerGoldenCases.realTokenizer()).encode("");
        assertEquals(1, p.ids()[0]);
        assertEquals(1, p.realTokens());
        assertEquals(1, Arrays.stream(p.attentionMask()).sum());
        assertTrue(Arrays.stream(p.ids(), 1, 300).allMatch(id -> id == 0));
        assertFalse(p.truncated());
    }

    @Tag("golden")
    @Test
    void promptsFarOverTheLimitAreTruncatedEndWithEosAndSayso() throws IOException {
        String longPrompt = "a red fox jumps over the lazy dog in the snow ".repeat(200);
        TokenizedPrompt p = new FixedLengthEncoder(TokenizerGoldenCases.realTokenizer()).encode(longPrompt);
        assertTrue(p.truncated());
        assertTrue(p.fullLength() > 2000, "untruncated length " + p.fullLength());
        assertEquals(300, p.realTokens());
        assertEquals(1, p.ids()[299], "</s> kept at the end");
        assertTrue(Arrays.stream(p.attentionMask()).allMatch(m -> m == 1));
        int[] head = TokenizerGoldenCases.realTokenizer().encode(longPrompt);
        assertArrayEquals(Arrays.copyOf(head, 299), Arrays.copyOf(p.ids(), 299));
    }

    @Tag("golden")
    @Test
    void charactersOutsideTheVocabularyBecomeOneUnknownPerRun() throws IOException {
        T5Tokenizer t = TokenizerGoldenCases.realTokenizer();
        assertArrayEquals(new int[] {3, 2, 1}, t.encode("\u2603\u2604\u2605"), "three unknown symbols, one <unk>");
        assertArrayEquals(new int[] {3, 2, 3, 2, 1}, t.encode("\u2603 \u2605"), "separate words, separate <unk>s");
        assertArrayEquals(new int[] {1712, 2, 1}, t.encode("cat\u2603"));
    }

    @Test
    void aBpeTokenizerJsonIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"version\":\"1.0\",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]}}");
        assertRefused(file, "model type BPE is not supported");
    }

    @Test
    void jsonThatIsNoTokenizerIsRefusedNamingTheFile() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, "{\"a\": 0, \"b\": 1}");
        assertRefused(vocab, "no \"model\" object");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": {\"vocab\": [[\"a\", -1.0], ");
        assertRefused(broken, "not a tokenizer.json");
        Path badPair = dir.resolve("pair.json");
        Files.writeString(badPair, "{\"model\": {\"unk_id\": 0, \"vocab\": [[\"a\"]]}}");
        assertRefused(badPair, "model.vocab[0] is not a [piece, score] pair");
    }

    @Test
    void aFieldOfTheWrongKindIsNamedByItsPath() throws IOException {
        String good = "{\"added_tokens\": [{\"id\": 0, \"content\": \"<pad>\"}], \"model\": {\"unk_id\": 0, "
                + "\"vocab\": [[\"<pad>\", 0.0]]}}";
        Path file = dir.resolve("kinds.json");
        for (String[] c : new String[][] {{"\"unk_id\": 0", "\"unk_id\": \"big\"", "'model.unk_id' is not a number"},
                {"\"id\": 0", "\"id\": 1.5", "'added_tokens[0].id' is not a whole number"},
                {"0.0]]", "\"big\"]]", "'model.vocab[0][1]' is not a number"},
                {"\"unk_id\": 0", "\"unk_id\": 0, \"byte_fallback\": \"yes\"", "'model.byte_fallback' is not true or false"},
                {"{\"added", "{\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"Regex\": \"(\"}, "
                        + "\"content\": \"\"}, \"added", "normalizer.pattern.Regex is not a valid pattern"}}) {
            Files.writeString(file, good.replace(c[0], c[1]));
            assertRefused(file, c[2]);
        }
    }

    @Test
    void malformedJsonSaysWhereWithoutGsonsAdvice() throws IOException {
        Path file = dir.resolve("cut.json");
        Files.writeString(file, "{\"model\": {\"unk_id\": 0, \"vocab\": [[\"a\", -1.0], [\"b");
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> T5Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not a tokenizer.json (not valid JSON: ")
                && !e.getMessage().contains("setStrictness") && !e.getMessage().contains("https://"), e.getMessage());
    }

    @Test
    void missingFilesAndEmptyFoldersAreRefusedNamingThePath() {
        assertRefused(dir.resolve("nothing-here.json"), "not found");
        assertRefused(dir, "no tokenizer.json or spiece.model");
    }

    private static void assertRefused(Path path, String why) {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> T5Tokenizer.load(path));
        assertTrue(e.getMessage().startsWith(path.toString()) && e.getMessage().contains(why), e.getMessage());
    }
}
