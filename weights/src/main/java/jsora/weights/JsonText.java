package jsora.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Parses the JSON of indexes and configs. Gson's own message for malformed JSON is advice to programmers (use
 * {@code setStrictness(LENIENT)}, a troubleshooting URL); the user gets where the JSON breaks.
 */
public final class JsonText {
    private static final String GSON_ADVICE = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";

    private JsonText() {
    }

    /** The JSON value of {@code text}; an IllegalArgumentException saying where it is malformed otherwise. */
    public static JsonElement parse(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    static String describe(JsonParseException e) {
        Throwable t = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage()).replace(GSON_ADVICE, "malformed JSON")
                .replaceAll("\\s*See https?://\\S+\\s*$", "");
        return "not valid JSON: " + m;
    }
}
