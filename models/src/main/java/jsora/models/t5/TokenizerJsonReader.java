package jsora.models.t5;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jsora.models.config.ConfigFields;
import jsora.weights.JsonText;

/**
 * Builds a {@link T5Tokenizer} from a Hugging Face {@code tokenizer.json} with a Unigram model: the normalizers
 * {@code Precompiled}, {@code Replace}, {@code Strip} (alone or in a {@code Sequence}), the pre-tokenizers
 * {@code WhitespaceSplit} and {@code Metaspace} (legacy {@code add_prefix_space} or {@code prepend_scheme}), and a
 * {@code TemplateProcessing} post-processor. Anything else is refused with a message naming the file.
 */
public final class TokenizerJsonReader {
    private final String file;
    /** The file's fields; a message names the file and the field's path from the top ('model.unk_id'). */
    private final ConfigFields fields;

    private TokenizerJsonReader(String file) {
        this.file = file;
        this.fields = new ConfigFields(file);
    }

    public static T5Tokenizer read(Path path) throws IOException {
        JsonElement e;
        try {
            e = JsonText.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ex) {
            throw new TokenizerFormatException(path + ": not a tokenizer.json (" + ex.getMessage() + ")", ex);
        }
        if (!e.isJsonObject()) {
            throw new TokenizerFormatException(path + ": not a tokenizer.json (top level is not a JSON object)");
        }
        TokenizerJsonReader reader = new TokenizerJsonReader(path.toString());
        try {
            return reader.build(e.getAsJsonObject());
        } catch (TokenizerFormatException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            // a field of the wrong kind, or missing: the message names the file and the field
            throw new TokenizerFormatException(ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            throw new TokenizerFormatException(path + ": malformed tokenizer.json (" + ex + ")", ex);
        }
    }

    private T5Tokenizer build(JsonObject root) {
        if (!root.has("model") || !root.get("model").isJsonObject()) {
            throw fail("no \"model\" object; not a Hugging Face tokenizer.json");
        }
        Map<String, Integer> added = addedTokens(root);
        UnigramModel model = model(root.getAsJsonObject("model"));
        UnaryOperator<String> normalizer = normalizer(root.get("normalizer"), "normalizer");
        MetaspacePreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"));
        List<int[]> template = template(root.get("post_processor"), added);
        int pad = padId(root, added);
        return new T5Tokenizer(added, normalizer, preTokenizer, model, template.get(0), template.get(1), pad);
    }

    private Map<String, Integer> addedTokens(JsonObject root) {
        Map<String, Integer> tokens = new LinkedHashMap<>();
        JsonArray list = fields.array(root, "added_tokens");
        for (int i = 0; list != null && i < list.size(); i++) {
            String name = "added_tokens[" + i + "]";
            JsonObject t = fields.asObject(name, list.get(i));
            ConfigFields token = fields.in(name);
            tokens.put(token.string(t, "content"), token.integer(t, "id"));
        }
        return tokens;
    }

    private UnigramModel model(JsonObject m) {
        ConfigFields f = fields.in("model");
        String type = f.string(m, "type", "Unigram");
        if (!type.equals("Unigram") || !m.has("vocab") || !m.get("vocab").isJsonArray()) {
            throw fail("model type " + type + " is not supported; expected a Unigram (T5 / sentencepiece) model");
        }
        JsonArray vocab = m.getAsJsonArray("vocab");
        List<String> pieces = new ArrayList<>(vocab.size());
        double[] scores = new double[vocab.size()];
        for (int i = 0; i < vocab.size(); i++) {
            JsonElement entry = vocab.get(i);
            if (!entry.isJsonArray() || entry.getAsJsonArray().size() != 2) {
                throw fail("model.vocab[" + i + "] is not a [piece, score] pair");
            }
            pieces.add(f.asString("vocab[" + i + "][0]", entry.getAsJsonArray().get(0)));
            scores[i] = f.asNumber("vocab[" + i + "][1]", entry.getAsJsonArray().get(1));
        }
        int unknown = f.integer(m, "unk_id");
        boolean byteFallback = f.bool(m, "byte_fallback", false);
        try {
            return new UnigramModel(pieces, scores, unknown, byteFallback);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** The normalizer at {@code at} (its path in the file, e.g. "normalizer.normalizers[1]"). */
    private UnaryOperator<String> normalizer(JsonElement spec, String at) {
        if (spec == null || spec.isJsonNull()) {
            return UnaryOperator.identity();
        }
        JsonObject n = fields.asObject(at, spec);
        ConfigFields f = fields.in(at);
        String type = f.string(n, "type");
        switch (type) {
            case "Precompiled": {
                String map = f.string(n, "precompiled_charsmap", null);
                if (map == null) {
                    return UnaryOperator.identity();
                }
                byte[] blob;
                try {
                    blob = Base64.getDecoder().decode(map);
                } catch (IllegalArgumentException e) {
                    throw fail(at + ".precompiled_charsmap is not base64 (" + e.getMessage() + ")");
                }
                try {
                    return PrecompiledCharsmap.parse(blob, file)::normalize;
                } catch (IllegalArgumentException e) {
                    throw fail(e.getMessage());
                }
            }
            case "Sequence": {
                UnaryOperator<String> all = UnaryOperator.identity();
                JsonArray parts = f.array(n, "normalizers");
                for (int i = 0; parts != null && i < parts.size(); i++) {
                    UnaryOperator<String> before = all;
                    UnaryOperator<String> next = normalizer(parts.get(i), at + ".normalizers[" + i + "]");
                    all = s -> next.apply(before.apply(s));
                }
                return all;
            }
            case "Replace": {
                JsonObject pattern = f.requiredObject(n, "pattern");
                String content = f.string(n, "content");
                ConfigFields p = f.in("pattern");
                String regex = p.string(pattern, "Regex", null);
                String text = regex != null ? regex : Pattern.quote(p.string(pattern, "String"));
                Pattern compiled;
                try {
                    compiled = Pattern.compile(text);
                } catch (PatternSyntaxException e) {
                    throw fail(at + ".pattern.Regex is not a valid pattern: " + e.getDescription());
                }
                String literal = java.util.regex.Matcher.quoteReplacement(content);
                return s -> compiled.matcher(s).replaceAll(literal);
            }
            case "Strip": {
                boolean left = f.bool(n, "strip_left");
                boolean right = f.bool(n, "strip_right");
                return s -> strip(s, left, right);
            }
            case "Lowercase":
                return TokenizerJsonReader::lowercase;
            default:
                throw fail("normalizer type " + type + " is not supported (expected Precompiled, Replace, Strip, "
                        + "Lowercase or a Sequence of them)");
        }
    }

    /**
     * The {@code Lowercase} normalizer: each character by its own Unicode lower-case mapping (Rust's
     * {@code char::to_lowercase}), with no context rule (a final capital sigma becomes σ, not ς). The one
     * unconditional mapping to two characters, İ → i + U+0307, is what Java's per-character mapping lacks.
     */
    static String lowercase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0x130) {
                b.append("i\u0307");
            } else {
                b.appendCodePoint(Character.toLowerCase(c));
            }
        });
        return b.toString();
    }

    private static String strip(String s, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        while (left && from < to && MetaspacePreTokenizer.isWhiteSpace(s.charAt(from))) {
            from++;
        }
        while (right && to > from && MetaspacePreTokenizer.isWhiteSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private MetaspacePreTokenizer preTokenizer(JsonElement spec) {
        List<JsonObject> steps = new ArrayList<>();
        List<ConfigFields> stepFields = new ArrayList<>();
        if (spec != null && !spec.isJsonNull()) {
            JsonObject p = fields.asObject("pre_tokenizer", spec);
            ConfigFields f = fields.in("pre_tokenizer");
            if (f.string(p, "type").equals("Sequence")) {
                JsonArray list = f.array(p, "pretokenizers");
                for (int i = 0; list != null && i < list.size(); i++) {
                    steps.add(f.asObject("pretokenizers[" + i + "]", list.get(i)));
                    stepFields.add(f.in("pretokenizers[" + i + "]"));
                }
            } else {
                steps.add(p);
                stepFields.add(f);
            }
        }
        boolean whitespaceSplit = false;
        for (int i = 0; i < steps.size(); i++) {
            String type = stepFields.get(i).string(steps.get(i), "type");
            if (type.equals("WhitespaceSplit") && i == 0) {
                whitespaceSplit = true;
            } else if (type.equals("Metaspace") && i == steps.size() - 1) {
                return metaspace(steps.get(i), stepFields.get(i), whitespaceSplit);
            } else {
                break;
            }
        }
        throw fail("pre_tokenizer must be Metaspace, optionally after WhitespaceSplit (found " + spec + ")");
    }

    private MetaspacePreTokenizer metaspace(JsonObject m, ConfigFields f, boolean whitespaceSplit) {
        String replacement = f.string(m, "replacement");
        if (replacement.length() != 1) {
            throw fail("Metaspace replacement must be one character, found \"" + replacement + "\"");
        }
        MetaspacePreTokenizer.PrependScheme scheme;
        String prepend = f.string(m, "prepend_scheme", null);
        if (prepend != null) {
            scheme = prependScheme(prepend);
        } else {
            boolean add = f.bool(m, "add_prefix_space", true);
            scheme = add ? MetaspacePreTokenizer.PrependScheme.ALWAYS : MetaspacePreTokenizer.PrependScheme.NEVER;
        }
        return new MetaspacePreTokenizer(whitespaceSplit, replacement.charAt(0), scheme, f.bool(m, "split", true));
    }

    private MetaspacePreTokenizer.PrependScheme prependScheme(String name) {
        for (MetaspacePreTokenizer.PrependScheme s : MetaspacePreTokenizer.PrependScheme.values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw fail("Metaspace prepend_scheme \"" + name + "\" is not one of "
                + Arrays.toString(MetaspacePreTokenizer.PrependScheme.values()).toLowerCase(Locale.ROOT));
    }

    /** {@code [prefix ids, suffix ids]} of the single-sequence template around {@code $A}. */
    private List<int[]> template(JsonElement spec, Map<String, Integer> added) {
        if (spec == null || spec.isJsonNull()) {
            return List.of(new int[0], new int[0]);
        }
        JsonObject p = fields.asObject("post_processor", spec);
        ConfigFields f = fields.in("post_processor");
        String type = f.string(p, "type");
        if (!type.equals("TemplateProcessing")) {
            throw fail("post_processor type " + type + " is not supported (expected TemplateProcessing)");
        }
        JsonObject specialTokens = f.object(p, "special_tokens");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        JsonArray single = f.array(p, "single");
        for (int i = 0; single != null && i < single.size(); i++) {
            JsonObject item = f.asObject("single[" + i + "]", single.get(i));
            if (item.has("Sequence")) {
                seenSequence = true;
                continue;
            }
            ConfigFields itemFields = f.in("single[" + i + "]");
            JsonObject token = itemFields.requiredObject(item, "SpecialToken");
            String name = itemFields.in("SpecialToken").string(token, "id");
            List<Integer> target = seenSequence ? suffix : prefix;
            if (specialTokens != null && specialTokens.has(name)) {
                JsonObject special = f.in("special_tokens").requiredObject(specialTokens, name);
                ConfigFields specialFields = f.in("special_tokens").in(name);
                JsonArray ids = specialFields.array(special, "ids");
                for (int j = 0; ids != null && j < ids.size(); j++) {
                    target.add(specialFields.asInt("ids[" + j + "]", ids.get(j)));
                }
            } else if (added.containsKey(name)) {
                target.add(added.get(name));
            } else {
                throw fail("post_processor names special token " + name + ", which has no id");
            }
        }
        return List.of(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    private int padId(JsonObject root, Map<String, Integer> added) {
        JsonElement padding = root.get("padding");
        if (padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")) {
            return fields.in("padding").integer(padding.getAsJsonObject(), "pad_id");
        }
        Integer pad = added.get("<pad>");
        if (pad == null) {
            throw fail("no <pad> token and no padding.pad_id");
        }
        return pad;
    }

    private TokenizerFormatException fail(String what) {
        return new TokenizerFormatException(file + ": " + what);
    }
}
