package jsora.weights;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a safetensors JSON header, {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}, with a
 * strict streaming reader so that duplicate keys, wrong types and missing fields are caught and named.
 */
final class HeaderParser {
    private final Path path;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Raw> entries = new ArrayList<>();

    /** One header entry as written, before its offsets are checked against the file. */
    static final class Raw {
        final String name;
        final StorageType type;
        final int[] shape;
        final long begin;
        final long end;

        Raw(String name, StorageType type, int[] shape, long begin, long end) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    HeaderParser(Path path) {
        this.path = path;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    List<Raw> entries() {
        return entries;
    }

    HeaderParser parse(String json) {
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            Set<String> seen = new HashSet<>();
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (!seen.add(key)) {
                    throw new CheckpointException(path + ": duplicate key '" + key + "' in the safetensors header");
                }
                if (key.equals("__metadata__")) {
                    readMetadata(r);
                } else {
                    entries.add(readEntry(r, key));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new CheckpointException(path + ": malformed safetensors header: text after the JSON object");
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new CheckpointException(path + ": malformed safetensors header: " + brief(e.getMessage()), e);
        }
        return this;
    }

    /** Gson's message without its advice to programmers (lenient mode, troubleshooting link). */
    static String brief(String gson) {
        if (gson == null) {
            return "invalid JSON";
        }
        String m = gson.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "invalid JSON");
        int see = m.indexOf("\nSee https://");
        return see < 0 ? m : m.substring(0, see);
    }

    private void readMetadata(JsonReader r) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String k = r.nextName();
            if (r.peek() != JsonToken.STRING) {
                throw new CheckpointException(path + ": __metadata__ value '" + k + "' is not a string");
            }
            if (metadata.put(k, r.nextString()) != null) {
                throw new CheckpointException(path + ": duplicate key '" + k + "' in __metadata__");
            }
        }
        r.endObject();
    }

    private Raw readEntry(JsonReader r, String key) throws IOException {
        String dtype = null;
        int[] shape = null;
        long[] offsets = null;
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CheckpointException(path + ": tensor '" + key + "': header entry is not an object");
        }
        r.beginObject();
        Set<String> fields = new HashSet<>();
        while (r.hasNext()) {
            String f = r.nextName();
            if (!fields.add(f)) {
                throw new CheckpointException(path + ": tensor '" + key + "': duplicate field '" + f + "'");
            }
            switch (f) {
                case "dtype":
                    if (r.peek() != JsonToken.STRING) {
                        throw new CheckpointException(path + ": tensor '" + key + "': dtype is not a string");
                    }
                    dtype = r.nextString();
                    break;
                case "shape":
                    shape = readShape(r, key);
                    break;
                case "data_offsets":
                    offsets = readOffsets(r, key);
                    break;
                default:
                    r.skipValue();
            }
        }
        r.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw new CheckpointException(path + ": tensor '" + key + "': header entry needs dtype, shape and data_offsets");
        }
        StorageType type = StorageType.parse(dtype);
        if (type == null) {
            throw new CheckpointException(path + ": tensor '" + key + "' has unknown dtype '" + dtype + "'");
        }
        return new Raw(key, type, shape, offsets[0], offsets[1]);
    }

    private int[] readShape(JsonReader r, String key) throws IOException {
        List<Long> dims = readLongs(r, key, "shape");
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = dims.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointException(path + ": tensor '" + key + "' has an invalid dimension " + d);
            }
            shape[i] = (int) d;
        }
        return shape;
    }

    private long[] readOffsets(JsonReader r, String key) throws IOException {
        List<Long> o = readLongs(r, key, "data_offsets");
        if (o.size() != 2 || o.get(0) < 0 || o.get(1) < o.get(0)) {
            throw new CheckpointException(path + ": tensor '" + key + "' has invalid data_offsets " + o);
        }
        return new long[] {o.get(0), o.get(1)};
    }

    private List<Long> readLongs(JsonReader r, String key, String field) throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) {
            throw new CheckpointException(path + ": tensor '" + key + "': " + field + " is not an array");
        }
        List<Long> out = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) {
                throw new CheckpointException(path + ": tensor '" + key + "': " + field + " holds a non-number");
            }
            String s = r.nextString();
            try {
                out.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new CheckpointException(path + ": tensor '" + key + "': " + field + " holds " + s
                        + ", not an integer");
            }
        }
        r.endArray();
        return out;
    }
}
