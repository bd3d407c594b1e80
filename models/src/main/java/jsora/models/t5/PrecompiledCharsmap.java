package jsora.models.t5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * sentencepiece's compiled normalization rules ({@code precompiled_charsmap}, e.g. {@code nmt_nfkc}): the blob is
 * {@code [u32 little-endian trie size in bytes][double-array trie][NUL-terminated replacement strings]}; a trie key is
 * a UTF-8 byte string and its value the offset of its replacement.
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

    /**
     * Normalizes as Hugging Face's {@code Precompiled} normalizer does: a grapheme cluster shorter than 6 UTF-8 bytes
     * whose bytes start with a key is replaced as a whole by that (shortest) key's replacement, so marks after it are
     * dropped; any other cluster is rewritten one character at a time.
     */
    public String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int start = 0;
        while (start < text.length()) {
            int end = GraphemeClusters.clusterEnd(text, start);
            byte[] cluster = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
            long match = cluster.length < 6 ? trie.shortestPrefix(cluster, 0, cluster.length) : -1;
            if (match >= 0) {
                out.append(replacement((int) match));
            } else {
                for (int i = start; i < end; ) {
                    int cp = text.codePointAt(i);
                    int n = Character.charCount(cp);
                    byte[] ch = text.substring(i, i + n).getBytes(StandardCharsets.UTF_8);
                    long m = trie.shortestPrefix(ch, 0, ch.length);
                    if (m >= 0 && (int) (m >>> 32) == ch.length) {
                        out.append(replacement((int) m));
                    } else {
                        out.appendCodePoint(cp);
                    }
                    i += n;
                }
            }
            start = end;
        }
        return out.toString();
    }

    private String replacement(int offset) {
        if (offset >= replacements.length) {
            throw new IllegalArgumentException("corrupt precompiled charsmap: replacement offset " + offset
                    + " outside " + replacements.length + " bytes");
        }
        int end = offset;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return new String(replacements, offset, end - offset, StandardCharsets.UTF_8);
    }
}
