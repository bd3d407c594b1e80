package jsora.models.t5;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The T5 tokenizer as Hugging Face {@code tokenizers} runs it from {@code tokenizer.json}: split off literal special
 * tokens, normalize each remaining segment (sentencepiece's precompiled charsmap), pre-tokenize into {@code ▁}-prefixed
 * words, cut every word with the Unigram model, then append the template's special tokens ({@code </s>}). Built by
 * {@link TokenizerJsonReader} or {@link SentencePieceModelReader}; {@link #load} picks the reader for a file or folder.
 */
public final class T5Tokenizer implements TextTokenizer {
    private final SpecialTokenSplitter specials;
    private final UnaryOperator<String> normalizer;
    private final MetaspacePreTokenizer preTokenizer;
    private final UnigramModel model;
    private final int[] prefix;
    private final int[] suffix;
    private final int padId;

    T5Tokenizer(Map<String, Integer> specialTokens, UnaryOperator<String> normalizer,
            MetaspacePreTokenizer preTokenizer, UnigramModel model, int[] prefix, int[] suffix, int padId) {
        this.specials = new SpecialTokenSplitter(specialTokens);
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.padId = padId;
    }

    /**
     * Reads {@code tokenizer.json} or sentencepiece {@code spiece.model}; a folder is searched for those names in that
     * order. Throws {@link TokenizerFormatException} naming the file when it is neither.
     */
    public static T5Tokenizer load(Path path) throws IOException {
        return TokenizerFiles.load(path);
    }

    @Override
    public int[] tokenize(String text) {
        List<Integer> ids = new ArrayList<>();
        for (SpecialTokenSplitter.Part part : specials.split(text)) {
            if (part.isSpecial()) {
                ids.add(part.id());
                continue;
            }
            String normalized = normalizer.apply(part.text());
            for (String word : preTokenizer.words(normalized, part.offset() == 0)) {
                model.encode(word, ids);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int[] addSpecialTokens(int[] sequence) {
        int[] out = new int[prefix.length + sequence.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(sequence, 0, out, prefix.length, sequence.length);
        System.arraycopy(suffix, 0, out, prefix.length + sequence.length, suffix.length);
        return out;
    }

    @Override
    public int specialTokenCount() {
        return prefix.length + suffix.length;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public int vocabularySize() {
        return model.size();
    }

    /** The piece of an id ({@code ▁cat}), for debugging and messages. */
    public String piece(int id) {
        return model.piece(id);
    }

    /** The text after the normalizer only (a debugging aid). */
    public String normalize(String text) {
        return normalizer.apply(text);
    }
}
