package jsora.models.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.function.Predicate;

/**
 * Reads the fields of a model's {@code config.json}, each checked for its kind (a whole number is not 64.5, a count
 * is not 0), failing with a message that names the config and the field.
 */
public final class ConfigFields {
    private final String what;

    /** {@code what} names the config in messages, e.g. "T5 config". */
    public ConfigFields(String what) {
        this.what = what;
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    /** A required whole number. */
    public int integer(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            throw new IllegalArgumentException(what + ": missing '" + name + "'");
        }
        return asInt(name, e);
    }

    /** A whole number, or {@code fallback} if absent. */
    public int integer(JsonObject o, String name, int fallback) {
        JsonElement e = field(o, name);
        return e == null ? fallback : asInt(name, e);
    }

    /** A whole number of at least 1 (a size or count), or {@code fallback} if absent. */
    public int positive(JsonObject o, String name, int fallback) {
        return atLeastOne(name, integer(o, name, fallback));
    }

    /** A list of whole numbers of at least 1, or {@code fallback} if absent. */
    public int[] positives(JsonObject o, String name, int[] fallback) {
        JsonElement e = field(o, name);
        if (e == null) {
            return fallback;
        }
        JsonArray a = array(name, e);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = atLeastOne(name + "[" + i + "]", asInt(name + "[" + i + "]", a.get(i)));
        }
        return v;
    }

    /** A finite number, or {@code fallback} if absent. */
    public double number(JsonObject o, String name, double fallback) {
        JsonElement e = field(o, name);
        return e == null ? fallback : asNumber(name, e);
    }

    /** true or false, or {@code fallback} if absent. */
    public boolean bool(JsonObject o, String name, boolean fallback) {
        JsonElement e = primitive(o, name, JsonPrimitive::isBoolean, "true or false");
        return e == null ? fallback : e.getAsBoolean();
    }

    /** A string, or {@code fallback} if absent. */
    public String string(JsonObject o, String name, String fallback) {
        JsonElement e = primitive(o, name, JsonPrimitive::isString, "a string");
        return e == null ? fallback : e.getAsString();
    }

    /** The field if it is present and of the {@code kind} described as {@code expected}, null if absent. */
    private JsonElement primitive(JsonObject o, String name, Predicate<JsonPrimitive> kind, String expected) {
        JsonElement e = field(o, name);
        if (e != null && !(e.isJsonPrimitive() && kind.test(e.getAsJsonPrimitive()))) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not " + expected + ": " + e);
        }
        return e;
    }

    /** A nested object, or null if absent. */
    public JsonObject object(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e != null && !e.isJsonObject()) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not an object: " + e);
        }
        return e == null ? null : e.getAsJsonObject();
    }

    /** A list, or null if absent. */
    public JsonArray array(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? null : array(name, e);
    }

    private JsonArray array(String name, JsonElement e) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a list: " + e);
        }
        return e.getAsJsonArray();
    }

    private double asNumber(String name, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a number: " + e);
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a finite number: " + e);
        }
        return v;
    }

    private int asInt(String name, JsonElement e) {
        double v = asNumber(name, e);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a whole number: " + e);
        }
        return (int) v;
    }

    private int atLeastOne(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": '" + name + "' must be at least 1, got " + v);
        }
        return v;
    }
}
