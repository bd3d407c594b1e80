package jsora.models.t5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small hand-written tokenizer.json files for unit tests that must not depend on the real T5 vocabulary. */
final class ToyTokenizers {
    private ToyTokenizers() {
    }

    /**
     * Pieces: 0 pad, 1 eos, 2 unk, 3 ▁, 4 ▁a, 5 b, 6 a, 7 ▁ab, 8 c, 9 &lt;x&gt;; scores chosen so that ▁ab (-1) beats
     * ▁a+b (-2.5).
     */
    static T5Tokenizer toy(Path dir, String preTokenizer) throws IOException {
        String json = "{\"added_tokens\":[{\"id\":0,\"content\":\"<pad>\"},{\"id\":1,\"content\":\"</s>\"},"
                + "{\"id\":2,\"content\":\"<unk>\"},{\"id\":9,\"content\":\"<x>\"}],"
                + "\"normalizer\":null,\"pre_tokenizer\":" + preTokenizer + ","
                + "\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[{\"Sequence\":{\"id\":\"A\"}},"
                + "{\"SpecialToken\":{\"id\":\"</s>\"}}],\"special_tokens\":{\"</s>\":{\"id\":\"</s>\",\"ids\":[1]}}},"
                + "\"model\":{\"type\":\"Unigram\",\"unk_id\":2,\"vocab\":[[\"<pad>\",0],[\"</s>\",0],[\"<unk>\",0],"
                + "[\"\u2581\",-2],[\"\u2581a\",-1],[\"b\",-1.5],[\"a\",-3],[\"\u2581ab\",-1],[\"c\",-4],"
                + "[\"<x>\",0]]}}";
        Path file = dir.resolve("toy-tokenizer.json");
        Files.writeString(file, json);
        return T5Tokenizer.load(file);
    }

    static final String LEGACY_T5 = "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},"
            + "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"add_prefix_space\":true}]}";
}
