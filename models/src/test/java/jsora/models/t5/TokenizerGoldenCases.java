package jsora.models.t5;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jsora.weights.testing.Golden;

/** The lines of {@code cases.jsonl} in every golden folder named {@code t5-tokenizer*}, and the real tokenizer. */
final class TokenizerGoldenCases {
    private static T5Tokenizer tokenizer;

    private TokenizerGoldenCases() {
    }

    static List<JsonObject> cases(String prefix) {
        List<JsonObject> out = new ArrayList<>();
        for (Path folder : Golden.cases(prefix)) {
            try {
                for (String line : Files.readAllLines(folder.resolve("cases.jsonl"), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(JsonParser.parseString(line).getAsJsonObject());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
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
