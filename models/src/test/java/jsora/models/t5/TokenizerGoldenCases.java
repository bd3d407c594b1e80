package jsora.models.t5;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jsora.models.testing.GoldenJsonLines;
import jsora.weights.testing.Golden;

/** The lines of {@code cases.jsonl} in every golden folder named {@code t5-tokenizer*}, and the real tokenizer. */
final class TokenizerGoldenCases {
    private static T5Tokenizer tokenizer;

    private TokenizerGoldenCases() {
    }

    static List<JsonObject> cases(String prefix) {
        return GoldenJsonLines.cases(prefix);
    }

    /** The real T5 tokenizer.json, read once (skips the test where it is absent). */
    static synchronized T5Tokenizer realTokenizer() throws IOException {
        Path folder = Golden.requireTokenizer();
        if (tokenizer == null) {
            tokenizer = T5Tokenizer.load(folder.resolve("tokenizer.json"));
        }
        return tokenizer;
    }

    static int[] ints(JsonObject c, String key) {
        return c.getAsJsonArray(key).asList().stream().mapToInt(e -> e.getAsInt()).toArray();
    }
}
