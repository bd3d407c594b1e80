package jsora.models.testing;

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

/** The cases of {@code cases.jsonl} in every golden folder whose name starts with a prefix, in folder order. */
public final class GoldenJsonLines {
    private GoldenJsonLines() {
    }

    public static List<JsonObject> cases(String prefix) {
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
}
