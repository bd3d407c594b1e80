package jsora.models.t5;

/** Turns text into token ids: the T5 tokenizer, or the demo's byte-level fallback. */
public interface TextTokenizer {
    /** The ids of {@code text} without the post-processor's special tokens. */
    int[] tokenize(String text);

    /** Applies the post-processor template (T5: appends {@code </s>}). */
    int[] addSpecialTokens(int[] sequence);

    /** How many ids {@link #addSpecialTokens} adds. */
    int specialTokenCount();

    int padId();

    /** One more than the largest id this tokenizer can produce. */
    int vocabularySize();

    /** {@code tokenizer(text, add_special_tokens=True)}: untruncated, unpadded. */
    default int[] encode(String text) {
        return addSpecialTokens(tokenize(text));
    }
}
