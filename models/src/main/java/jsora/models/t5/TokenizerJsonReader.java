package jsora.models.t5;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Builds a {@link T5Tokenizer} from a Hugging Face {@code tokenizer.json} with a Unigram model: the normalizers
 * {@code Precompiled}, {@code Replace}, {@code Strip} (alone or in a {@code Sequence}), the pre-tokenizers
 * {@code WhitespaceSplit} and {@code Metaspace} (legacy {@code add_prefix_space} or {@code prepend_scheme}), and a
 * {@code TemplateProcessing} post-processor. Anything else is refused with a message naming the file.
 */
public final class TokenizerJsonReader {
    private final String file;

    private TokenizerJsonReader(String file) {
        this.file = file;
    }

    public static T5Tokenizer read(Path path) throws IOException {
        JsonObject root;
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new TokenizerFormatException(path + ": not a tokenizer.json (top level is not a JSON object)");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerFormatException(path + ": not a tokenizer.json (invalid JSON: " + e.getMessage() + ")",
                    e);
        }
        TokenizerJsonReader reader = new TokenizerJsonReader(path.toString());
        try {
            return reader.build(root);
        } catch (TokenizerFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TokenizerFormatException(path + ": malformed tokenizer.json (" + e + ")", e);
        }
    }

    private T5Tokenizer build(JsonObject root) {
        if (!root.has("model") || !root.get("model").isJsonObject()) {
            throw fail("no \"model\" object; not a Hugging Face tokenizer.json");
        }
        Map<String, Integer> added = addedTokens(root);
        UnigramModel model = model(root.getAsJsonObject("model"));
        UnaryOperator<String> normalizer = normalizer(root.get("normalizer"));
        MetaspacePreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"));
        List<int[]> template = template(root.get("post_processor"), added);
        int pad = padId(root, added);
        return new T5Tokenizer(added, normalizer, preTokenizer, model, template.get(0), template.get(1), pad);
    }

    private Map<String, Integer> addedTokens(JsonObject root) {
        Map<String, Integer> tokens = new LinkedHashMap<>();
        JsonElement list = root.get("added_tokens");
        if (list != null && list.isJsonArray()) {
            for (JsonElement e : list.getAsJsonArray()) {
                JsonObject t = e.getAsJsonObject();
                tokens.put(t.get("content").getAsString(), t.get("id").getAsInt());
            }
        }
        return tokens;
    }

    private UnigramModel model(JsonObject m) {
        String type = m.has("type") ? m.get("type").getAsString() : "Unigram";
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
            pieces.add(entry.getAsJsonArray().get(0).getAsString());
            scores[i] = entry.getAsJsonArray().get(1).getAsDouble();
        }
        if (!m.has("unk_id") || m.get("unk_id").isJsonNull()) {
            throw fail("model.unk_id is missing");
        }
        boolean byteFallback = m.has("byte_fallback") && m.get("byte_fallback").getAsBoolean();
        try {
            return new UnigramModel(pieces, scores, m.get("unk_id").getAsInt(), byteFallback);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private UnaryOperator<String> normalizer(JsonElement spec) {
        if (spec == null || spec.isJsonNull()) {
            return UnaryOperator.identity();
        }
        JsonObject n = spec.getAsJsonObject();
        String type = n.get("type").getAsString();
        switch (type) {
            case "Precompiled": {
                JsonElement map = n.get("precompiled_charsmap");
                if (map == null || map.isJsonNull()) {
                    return UnaryOperator.identity();
                }
                byte[] blob = Base64.getDecoder().decode(map.getAsString());
                try {
                    return PrecompiledCharsmap.parse(blob, file)::normalize;
                } catch (IllegalArgumentException e) {
                    throw fail(e.getMessage());
                }
            }
            case "Sequence": {
                UnaryOperator<String> all = UnaryOperator.identity();
                for (JsonElement part : n.getAsJsonArray("normalizers")) {
                    UnaryOperator<String> before = all;
                    UnaryOperator<String> next = normalizer(part);
                    all = s -> next.apply(before.apply(s));
                }
                return all;
            }
            case "Replace": {
                JsonObject pattern = n.getAsJsonObject("pattern");
                String content = n.get("content").getAsString();
                Pattern p = pattern.has("Regex") ? Pattern.compile(pattern.get("Regex").getAsString())
                        : Pattern.compile(Pattern.quote(pattern.get("String").getAsString()));
                String literal = java.util.regex.Matcher.quoteReplacement(content);
                return s -> p.matcher(s).replaceAll(literal);
            }
            case "Strip": {
                boolean left = n.get("strip_left").getAsBoolean();
                boolean right = n.get("strip_right").getAsBoolean();
                return s -> strip(s, left, right);
            }
            default:
                throw fail("normalizer type " + type + " is not supported (expected Precompiled, Replace, Strip or "
                        + "a Sequence of them)");
        }
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
        if (spec != null && !spec.isJsonNull()) {
            JsonObject p = spec.getAsJsonObject();
            if (p.get("type").getAsString().equals("Sequence")) {
                p.getAsJsonArray("pretokenizers").forEach(e -> steps.add(e.getAsJsonObject()));
            } else {
                steps.add(p);
            }
        }
        boolean whitespaceSplit = false;
        for (int i = 0; i < steps.size(); i++) {
            JsonObject step = steps.get(i);
            String type = step.get("type").getAsString();
            if (type.equals("WhitespaceSplit") && i == 0) {
                whitespaceSplit = true;
            } else if (type.equals("Metaspace") && i == steps.size() - 1) {
                return metaspace(step, whitespaceSplit);
            } else {
                break;
            }
        }
        throw fail("pre_tokenizer must be Metaspace, optionally after WhitespaceSplit (found " + spec + ")");
    }

    private MetaspacePreTokenizer metaspace(JsonObject m, boolean whitespaceSplit) {
        String replacement = m.get("replacement").getAsString();
        if (replacement.length() != 1) {
            throw fail("Metaspace replacement must be one character, found \"" + replacement + "\"");
        }
        MetaspacePreTokenizer.PrependScheme scheme;
        if (m.has("prepend_scheme")) {
            scheme = MetaspacePreTokenizer.PrependScheme.valueOf(m.get("prepend_scheme").getAsString().toUpperCase(
                    java.util.Locale.ROOT));
        } else {
            boolean add = !m.has("add_prefix_space") || m.get("add_prefix_space").getAsBoolean();
            scheme = add ? MetaspacePreTokenizer.PrependScheme.ALWAYS : MetaspacePreTokenizer.PrependScheme.NEVER;
        }
        boolean split = !m.has("split") || m.get("split").getAsBoolean();
        return new MetaspacePreTokenizer(whitespaceSplit, replacement.charAt(0), scheme, split);
    }

    /** {@code [prefix ids, suffix ids]} of the single-sequence template around {@code $A}. */
    private List<int[]> template(JsonElement spec, Map<String, Integer> added) {
        if (spec == null || spec.isJsonNull()) {
            return List.of(new int[0], new int[0]);
        }
        JsonObject p = spec.getAsJsonObject();
        if (!p.get("type").getAsString().equals("TemplateProcessing")) {
            throw fail("post_processor type " + p.get("type").getAsString() + " is not supported "
                    + "(expected TemplateProcessing)");
        }
        JsonObject specialTokens = p.getAsJsonObject("special_tokens");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        for (JsonElement e : p.getAsJsonArray("single")) {
            JsonObject item = e.getAsJsonObject();
            if (item.has("Sequence")) {
                seenSequence = true;
                continue;
            }
            String name = item.getAsJsonObject("SpecialToken").get("id").getAsString();
            List<Integer> target = seenSequence ? suffix : prefix;
            if (specialTokens != null && specialTokens.has(name)) {
                specialTokens.getAsJsonObject(name).getAsJsonArray("ids").forEach(id -> target.add(id.getAsInt()));
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
            return padding.getAsJsonObject().get("pad_id").getAsInt();
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
