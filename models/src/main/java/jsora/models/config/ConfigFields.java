package jsora.models.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.function.Predicate;

/**
 * Reads the fields of a model's {@code config.json} (or another JSON file of a model), each checked for its kind (a
 * whole number is not 64.5, a count is not 0), failing with a message that names the file and the field. A field is
 * named by its path from the top ({@link #in}), e.g. 'model.unk_id'.
 */
public final class ConfigFields {
    private final String what;
    /** Path of the object read, ending in "." ("" at the top level). */
    private final String section;

    /** {@code what} names the file in messages, e.g. "T5 config". */
    public ConfigFields(String what) {
        this(what, "");
    }

    private ConfigFields(String what, String section) {
        this.what = what;
        this.section = section;
    }

    /** The fields of the object at {@code path} from this one, e.g. "model" or "added_tokens[3]". */
    public ConfigFields in(String path) {
        return new ConfigFields(what, section + path + ".");
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    /** A required whole number. */
    public int integer(JsonObject o, String name) {
        return asInt(name, required(o, name));
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
        JsonArray a = asArray(name, e);
        int[] v = new int[a.size()];
        forEach(name, a, (i, n, x) -> v[i] = atLeastOne(n, asInt(n, x)));
        return v;
    }

    /** A finite number, or {@code fallback} if absent. */
    public double number(JsonObject o, String name, double fallback) {
        JsonElement e = field(o, name);
        return e == null ? fallback : asNumber(name, e);
    }

    /** A number or a list of them (one number counts as a list of one), each finite as a float, or null if absent. */
    public float[] floats(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonArray()) {
            return new float[] {asFloat(name, e)};
        }
        JsonArray a = e.getAsJsonArray();
        float[] v = new float[a.size()];
        forEach(name, a, (i, n, x) -> v[i] = asFloat(n, x));
        return v;
    }

    /** true or false, required. */
    public boolean bool(JsonObject o, String name) {
        return asBool(name, required(o, name));
    }

    /** true or false, or {@code fallback} if absent. */
    public boolean bool(JsonObject o, String name, boolean fallback) {
        JsonElement e = field(o, name);
        return e == null ? fallback : asBool(name, e);
    }

    /** A list of true and false, or null if absent. */
    public boolean[] bools(JsonObject o, String name) {
        JsonArray a = array(o, name);
        if (a == null) {
            return null;
        }
        boolean[] v = new boolean[a.size()];
        forEach(name, a, (i, n, x) -> v[i] = asBool(n, x));
        return v;
    }

    /** A required string. */
    public String string(JsonObject o, String name) {
        return asString(name, required(o, name));
    }

    /** A string, or {@code fallback} if absent. */
    public String string(JsonObject o, String name, String fallback) {
        JsonElement e = field(o, name);
        return e == null ? fallback : asString(name, e);
    }

    /** A required nested object. */
    public JsonObject requiredObject(JsonObject o, String name) {
        return asObject(name, required(o, name));
    }

    /** A nested object, or null if absent. */
    public JsonObject object(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? null : asObject(name, e);
    }

    /** A list, or null if absent. */
    public JsonArray array(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? null : asArray(name, e);
    }

    private JsonArray asArray(String name, JsonElement e) {
        if (!e.isJsonArray()) {
            throw notA(name, "a list", e);
        }
        return e.getAsJsonArray();
    }

    /** {@code e}, the value called {@code name} (e.g. "vocab[3]", from this object), as an object. */
    public JsonObject asObject(String name, JsonElement e) {
        if (!e.isJsonObject()) {
            throw notA(name, "an object", e);
        }
        return e.getAsJsonObject();
    }

    /** {@code e}, the value called {@code name}, as a string. */
    public String asString(String name, JsonElement e) {
        if (!isPrimitive(e, JsonPrimitive::isString)) {
            throw notA(name, "a string", e);
        }
        return e.getAsString();
    }

    /** {@code e}, the value called {@code name}, as a finite number. */
    public double asNumber(String name, JsonElement e) {
        if (!isPrimitive(e, JsonPrimitive::isNumber)) {
            throw notA(name, "a number", e);
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw notA(name, "a finite number", e);
        }
        return v;
    }

    /** {@code e}, the value called {@code name}, as a whole number. */
    public int asInt(String name, JsonElement e) {
        double v = asNumber(name, e);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw notA(name, "a whole number", e);
        }
        return (int) v;
    }

    private float asFloat(String name, JsonElement e) {
        asNumber(name, e);
        float v = e.getAsFloat();
        if (!Float.isFinite(v)) {
            throw notA(name, "a finite number in float32", e);
        }
        return v;
    }

    private boolean asBool(String name, JsonElement e) {
        if (!isPrimitive(e, JsonPrimitive::isBoolean)) {
            throw notA(name, "true or false", e);
        }
        return e.getAsBoolean();
    }

    /** What is done with element {@code i}, called {@code name} ("list[i]"), of a list. */
    private interface ElementReader {
        void read(int i, String name, JsonElement e);
    }

    private static void forEach(String list, JsonArray a, ElementReader reader) {
        for (int i = 0; i < a.size(); i++) {
            reader.read(i, list + "[" + i + "]", a.get(i));
        }
    }

    private static boolean isPrimitive(JsonElement e, Predicate<JsonPrimitive> kind) {
        return e.isJsonPrimitive() && kind.test(e.getAsJsonPrimitive());
    }

    private JsonElement required(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            throw new IllegalArgumentException(what + ": missing '" + section + name + "'");
        }
        return e;
    }

    private int atLeastOne(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": '" + section + name + "' must be at least 1, got " + v);
        }
        return v;
    }

    private IllegalArgumentException notA(String name, String kind, JsonElement e) {
        return new IllegalArgumentException(what + ": '" + section + name + "' is not " + kind + ": " + e);
    }
}
