package jsora.models.t5;

/**
 * Read-only lookup in a darts-clone double-array trie, the structure sentencepiece serializes into its
 * {@code precompiled_charsmap}. Each 32-bit unit packs a label (low byte, plus bit 31 to mark non-leaves), a
 * has-leaf flag (bit 8) and an offset to the children ({@code (unit >>> 10) << ((unit & 0x200) >>> 6)}); a
 * leaf unit holds a value in its low 31 bits.
 */
final class DoubleArrayTrie {
    private final int[] units;

    DoubleArrayTrie(int[] units) {
        this.units = units.clone();
    }

    /**
     * The shortest key that is a prefix of {@code key[from..to)} (the first result of darts-clone's
     * {@code commonPrefixSearch}): returns {@code (length << 32) | value}, or -1 when no key matches. A zero byte ends
     * the search, as in darts-clone.
     */
    long shortestPrefix(byte[] key, int from, int to) {
        int node = offset(unit(0));
        for (int i = from; i < to; i++) {
            int c = key[i] & 0xFF;
            if (c == 0) {
                break;
            }
            node ^= c;
            int u = unit(node);
            if ((u & 0x800000FF) != c) {
                break;
            }
            node ^= offset(u);
            if (((u >>> 8) & 1) == 1) {
                return ((long) (i + 1 - from) << 32) | (unit(node) & 0x7FFFFFFF);
            }
        }
        return -1;
    }

    private int unit(int index) {
        if (index < 0 || index >= units.length) {
            throw new IllegalArgumentException("corrupt precompiled charsmap: trie index " + index + " outside "
                    + units.length + " units");
        }
        return units[index];
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & 0x200) >>> 6);
    }
}
