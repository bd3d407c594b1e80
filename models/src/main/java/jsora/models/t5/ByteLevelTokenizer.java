package jsora.models.t5;

import java.nio.charset.StandardCharsets;

/**
 * The demo's stand-in when no T5 tokenizer file is at hand: one id per UTF-8 byte of the text as given (no
 * normalization, no vocabulary), {@code id = byte + 2}, then end-of-sequence. Ids: 0 = pad, 1 = {@code </s>},
 * 2..257 = bytes 0x00..0xFF, so the vocabulary has 258 entries. Deterministic and total: every string encodes, and
 * nothing it produces means anything to a real T5 checkpoint.
 */
public final class ByteLevelTokenizer implements TextTokenizer {
    public static final int PAD_ID = 0;
    public static final int EOS_ID = 1;
    private static final int FIRST_BYTE_ID = 2;

    @Override
    public int[] tokenize(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = FIRST_BYTE_ID + (bytes[i] & 0xFF);
        }
        return ids;
    }

    @Override
    public int[] addSpecialTokens(int[] sequence) {
        int[] out = java.util.Arrays.copyOf(sequence, sequence.length + 1);
        out[sequence.length] = EOS_ID;
        return out;
    }

    @Override
    public int specialTokenCount() {
        return 1;
    }

    @Override
    public int padId() {
        return PAD_ID;
    }

    @Override
    public int vocabularySize() {
        return FIRST_BYTE_ID + 256;
    }
}
