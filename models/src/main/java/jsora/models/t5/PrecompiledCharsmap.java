package jsora.models.t5;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * sentencepiece's compiled normalization rules ({@code precompiled_charsmap}, e.g. {@code nmt_nfkc}): the blob is
 * {@code [u32 little-endian trie size in bytes][double-array trie][NUL-terminated replacement strings]}; a trie key is
 * a UTF-8 byte string and its value the offset of its replacement. Normalizing walks the text's UTF-8 bytes and at each
 * position replaces the longest matching key (sentencepiece {@code Normalizer::NormalizePrefix}); bytes without a rule
 * are copied one character at a time.
 */
public final class PrecompiledCharsmap {
    private final DoubleArrayTrie trie;
    private final byte[] replacements;

    private PrecompiledCharsmap(DoubleArrayTrie trie, byte[] replacements) {
        this.trie = trie;
        this.replacements = replacements;
    }

    /** Parses the serialized charsmap; {@code source} names where it came from, for error messages. */
    public static PrecompiledCharsmap parse(byte[] blob, String source) {
        if (blob.length < 4) {
            throw new IllegalArgumentException(source + ": precompiled charsmap too short (" + blob.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = b.getInt() & 0xFFFFFFFFL;
        if (trieBytes % 4 != 0 || trieBytes == 0 || trieBytes > blob.length - 4) {
            throw new IllegalArgumentException(source + ": precompiled charsmap declares a trie of " + trieBytes
                    + " bytes in a blob of " + blob.length);
        }
        int[] units = new int[(int) (trieBytes / 4)];
        b.asIntBuffer().get(units);
        byte[] strings = new byte[blob.length - 4 - (int) trieBytes];
        System.arraycopy(blob, 4 + (int) trieBytes, strings, 0, strings.length);
        return new PrecompiledCharsmap(new DoubleArrayTrie(units), strings);
    }

    public String normalize(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        int pos = 0;
        while (pos < in.length) {
            long match = trie.longestPrefix(in, pos, in.length);
            if (match >= 0) {
                appendReplacement(out, (int) match);
                pos += (int) (match >>> 32);
            } else {
                int n = Math.min(sequenceLength(in[pos]), in.length - pos);
                out.write(in, pos, n);
                pos += n;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void appendReplacement(ByteArrayOutputStream out, int offset) {
        if (offset >= replacements.length) {
            throw new IllegalArgumentException("corrupt precompiled charsmap: replacement offset " + offset
                    + " outside " + replacements.length + " bytes");
        }
        int end = offset;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        out.write(replacements, offset, end - offset);
    }

    /** Bytes in the UTF-8 sequence that starts with {@code lead} (1 for a stray continuation byte). */
    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
}
