package jsora.models.t5;

import java.util.Arrays;

/**
 * Encodes a prompt the way Open-Sora's {@code T5Embedder.get_text_embeddings} calls the tokenizer:
 * {@code max_length=300, padding="max_length", truncation=True, add_special_tokens=True, return_attention_mask=True}.
 * Truncation keeps the first {@code maxLength - specialTokenCount} sequence ids and then adds the special tokens, so
 * a truncated T5 prompt still ends with {@code </s>}; padding appends the pad id on the right with mask 0.
 */
public final class FixedLengthEncoder {
    /** Open-Sora 1.2's {@code model_max_length} for T5. */
    public static final int OPEN_SORA_MAX_LENGTH = 300;

    private final TextTokenizer tokenizer;
    private final int maxLength;

    public FixedLengthEncoder(TextTokenizer tokenizer, int maxLength) {
        if (maxLength <= tokenizer.specialTokenCount()) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for text");
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    public FixedLengthEncoder(TextTokenizer tokenizer) {
        this(tokenizer, OPEN_SORA_MAX_LENGTH);
    }

    public int maxLength() {
        return maxLength;
    }

    public TokenizedPrompt encode(String text) {
        int[] sequence = tokenizer.tokenize(text);
        int room = maxLength - tokenizer.specialTokenCount();
        int fullLength = sequence.length + tokenizer.specialTokenCount();
        boolean truncated = sequence.length > room;
        int[] real = tokenizer.addSpecialTokens(truncated ? Arrays.copyOf(sequence, room) : sequence);
        int[] ids = new int[maxLength];
        int[] mask = new int[maxLength];
        Arrays.fill(ids, tokenizer.padId());
        System.arraycopy(real, 0, ids, 0, real.length);
        Arrays.fill(mask, 0, real.length, 1);
        return new TokenizedPrompt(ids, mask, real.length, truncated, fullLength);
    }
}
