package jsora.models.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spiece.model reader. T5's own spiece.model is not available here, so the golden test writes the ModelProto that
 * sentencepiece would hold for T5 (the 32000 scored pieces with their types, the nmt_nfkc charsmap, T5's trainer ids)
 * from the tokenizer.json data, field by field as {@code sentencepiece_model.proto} numbers them, and checks the
 * tokenizer read back from it against every golden case; a small model written by sentencepiece itself checks the
 * reader against the real serializer.
 */
class SentencePieceModelReaderTest {
    @TempDir
    Path dir;

    @Tag("golden")
    @TestFactory
    Stream<DynamicTest> spieceModelBuiltFromTheT5DataMatchesTheGoldens() throws IOException {
        Path json = jsora.weights.testing.Golden.requireTokenizer().resolve("tokenizer.json");
        Path model = dir.resolve("spiece.model");
        Files.write(model, t5ModelProto(json));
        T5Tokenizer tokenizer = T5Tokenizer.load(dir);
        return TokenizerGoldenCases.cases("t5-tokenizer").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").getAsString(), () -> assertArrayEquals(TokenizerGoldenCases.ints(c, "ids"),
                        tokenizer.encode(c.get("text").getAsString()))));
    }

    /** T5's ModelProto: pieces 0..31999 (pad, eos CONTROL; unk UNKNOWN), UNIGRAM, unk 2 / eos 1 / pad 0. */
    private static byte[] t5ModelProto(Path tokenizerJson) throws IOException {
        JsonObject root;
        try (Reader r = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r).getAsJsonObject();
        }
        JsonArray vocab = root.getAsJsonObject("model").getAsJsonArray("vocab");
        ProtoWriter proto = new ProtoWriter();
        for (int i = 0; i < 32000; i++) {
            JsonArray entry = vocab.get(i).getAsJsonArray();
            int type = i == 2 ? 2 : i < 2 ? 3 : 1;
            proto.message(1, new ProtoWriter().string(1, entry.get(0).getAsString())
                    .fixed32(2, entry.get(1).getAsFloat()).varint(3, type));
        }
        proto.message(2, new ProtoWriter().varint(3, 1).varint(4, 32000).varint(40, 2).varint(41, -1)
                .varint(42, 1).varint(43, 0));
        byte[] charsmap = Base64.getDecoder().decode(
                root.getAsJsonObject("normalizer").get("precompiled_charsmap").getAsString());
        proto.message(3, new ProtoWriter().string(1, "nmt_nfkc").bytes(2, charsmap).varint(3, 1).varint(4, 1)
                .varint(5, 1));
        return proto.toByteArray();
    }

    /**
     * A real spiece.model written by Google's sentencepiece 0.2.2 (unigram, 256 pieces, trained on the golden prompt
     * texts with identity normalization, pad 0 / eos 1 / unk 2 as in T5); the expected ids are sentencepiece's own
     * {@code encode} plus {@code </s>}.
     */
    @Test
    void readsAModelWrittenBySentencepieceItself() throws IOException {
        Path model = dir.resolve("spiece.model");
        try (var in = getClass().getResourceAsStream("tiny-spiece.model")) {
            Files.copy(in, model);
        }
        T5Tokenizer tokenizer = T5Tokenizer.load(model);
        JsonArray cases;
        try (var in = getClass().getResourceAsStream("tiny-spiece-cases.json")) {
            cases = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonArray();
        }
        for (var c : cases) {
            String text = c.getAsJsonObject().get("text").getAsString();
            int[] expected = c.getAsJsonObject().getAsJsonArray("ids").asList().stream().mapToInt(e -> e.getAsInt())
                    .toArray();
            assertArrayEquals(expected, tokenizer.encode(text), text);
        }
        assertEquals(256 + 100, tokenizer.vocabularySize());
    }

    @Test
    void readsPiecesScoresTypesAndTrainerIdsOfASmallModel() throws IOException {
        ProtoWriter proto = new ProtoWriter();
        String[] pieces = {"<unk>", "<s>", "</s>", "▁", "▁a", "b", "a"};
        int[] types = {2, 3, 3, 1, 1, 1, 1};
        float[] scores = {0, 0, 0, -2f, -1f, -3f, -3f};
        for (int i = 0; i < pieces.length; i++) {
            proto.message(1, new ProtoWriter().string(1, pieces[i]).fixed32(2, scores[i]).varint(3, types[i]));
        }
        proto.message(2, new ProtoWriter().varint(3, 1).string(1, "corpus.txt").varint(40, 0).varint(42, 2));
        proto.message(3, new ProtoWriter().string(1, "identity").varint(3, 1));
        proto.varint(99, 7); // unknown fields are skipped
        Path file = dir.resolve("tiny.model");
        Files.write(file, proto.toByteArray());

        T5Tokenizer t = T5Tokenizer.load(file);

        assertArrayEquals(new int[] {4, 5, 3, 0, 2}, t.encode("ab c"), "▁a b ▁ <unk>(c) </s>");
        assertArrayEquals(new int[] {2, 2}, t.encode("</s>"), "a control piece in the text is special");
        assertEquals(7 + 100, t.vocabularySize(), "T5's 100 sentinels are appended");
        assertArrayEquals(new int[] {106, 2}, t.encode("<extra_id_0>"));
        assertEquals(0, t.padId(), "no pad id: pad falls back to the unknown id");
    }

    @Test
    void bpeModelsAreRefusedNamingTheFile() throws IOException {
        ProtoWriter proto = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, "<unk>").fixed32(2, 0).varint(3, 2))
                .message(2, new ProtoWriter().varint(3, 2));
        Path file = dir.resolve("bpe.model");
        Files.write(file, proto.toByteArray());
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> T5Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("Unigram"), e.getMessage());
    }

    @Test
    void truncatedOrGarbageBytesAreRefusedNamingTheFile() throws IOException {
        byte[] good = new ProtoWriter().message(1, new ProtoWriter().string(1, "▁a").fixed32(2, -1f)).toByteArray();
        Path cut = dir.resolve("cut.model");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 3));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> T5Tokenizer.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("not a sentencepiece model"),
                e.getMessage());

        Path png = dir.resolve("image.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13});
        e = assertThrows(TokenizerFormatException.class, () -> T5Tokenizer.load(png));
        assertTrue(e.getMessage().contains(png.toString()), e.getMessage());
    }
}
