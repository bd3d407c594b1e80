package jsora.models.t5;

import java.util.Optional;

/**
 * One prompt as the T5 encoder receives it: {@code ids} and {@code attentionMask} of the fixed length, the number of
 * real (non-padding) positions including {@code </s>}, and whether the text was cut to fit.
 *
 * @param ids           padded ids, length = the fixed length
 * @param attentionMask 1 for each real position, 0 for padding
 * @param realTokens    number of leading positions with mask 1
 * @param truncated     true when the untruncated encoding was longer than the fixed length
 * @param fullLength    length of the untruncated encoding (with special tokens)
 */
public record TokenizedPrompt(int[] ids, int[] attentionMask, int realTokens, boolean truncated, int fullLength) {
    /** For the user, when the prompt was cut: how long it was and how much the text encoder reads. */
    public Optional<String> truncationNote() {
        if (!truncated) {
            return Optional.empty();
        }
        return Optional.of("the prompt is " + fullLength + " tokens long; the text encoder reads only the first "
                + ids.length + " (the rest is ignored, as in Open-Sora)");
    }
}
