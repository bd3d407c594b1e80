package jsora.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Orders tensor names so that each transformer block's tensors are contiguous and blocks come in execution order,
 * whatever order the file stores them in (the reference safetensors writer sorts names as strings, which puts
 * {@code blocks.10} before {@code blocks.2}). A name's block is its first numeric segment: in
 * {@code spatial_blocks.3.attn.qkv.weight} the family is {@code spatial_blocks} and the index 3. Families under the
 * same parent (STDiT3's {@code spatial_blocks} and {@code temporal_blocks}) are interleaved by index, the way they
 * run: spatial 0, temporal 0, spatial 1, ... Names without a block index (embedders, final layers: small, loaded once)
 * come first, in their stored order, so that the blocks after them can be streamed front to back.
 */
public final class BlockOrder {
    private BlockOrder() {
    }

    private static final class Key {
        final String name;
        final int pos;
        final String anchor;
        final String family;
        final long index;

        Key(String name, int pos) {
            this.name = name;
            this.pos = pos;
            String[] segs = name.split("\\.", -1);
            int j = 1;
            while (j < segs.length && !isIndex(segs[j])) {
                j++;
            }
            if (j < segs.length) {
                anchor = "block parent:" + String.join(".", Arrays.copyOfRange(segs, 0, j - 1));
                family = String.join(".", Arrays.copyOfRange(segs, 0, j));
                index = Long.parseLong(segs[j]);
            } else {
                anchor = "name:" + name;
                family = anchor;
                index = -1;
            }
        }

        private static boolean isIndex(String s) {
            return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
        }
    }

    /** The names in block order (see the class comment). */
    public static List<String> order(Collection<String> names) {
        List<Key> keys = new ArrayList<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        for (String n : names) {
            Key k = new Key(n, keys.size());
            keys.add(k);
            firstSeen.putIfAbsent(k.anchor, k.pos);
            firstSeen.putIfAbsent(k.family, k.pos);
        }
        keys.sort(Comparator.comparingInt((Key k) -> k.index < 0 ? 0 : 1)
                .thenComparingInt(k -> firstSeen.get(k.anchor))
                .thenComparingLong(k -> k.index)
                .thenComparingInt(k -> firstSeen.get(k.family))
                .thenComparingInt(k -> k.pos));
        List<String> out = new ArrayList<>(keys.size());
        for (Key k : keys) {
            out.add(k.name);
        }
        return out;
    }

    /**
     * One list of names per block index, indices in numeric order: block i holds the names starting with
     * {@code family + i + "."}, for each family in the order given. T5: {@code blocks(keys, "encoder.block.")};
     * STDiT3 (one group per block pair): {@code blocks(keys, "spatial_blocks.", "temporal_blocks.")}.
     */
    public static List<List<String>> blocks(Collection<String> names, String... families) {
        TreeMap<Long, List<String>> byIndex = new TreeMap<>();
        for (String f : families) {
            for (String n : order(names)) {
                if (n.startsWith(f)) {
                    int dot = n.indexOf('.', f.length());
                    String idx = dot < 0 ? "" : n.substring(f.length(), dot);
                    if (Key.isIndex(idx)) {
                        byIndex.computeIfAbsent(Long.parseLong(idx), i -> new ArrayList<>()).add(n);
                    }
                }
            }
        }
        return new ArrayList<>(byIndex.values());
    }
}
