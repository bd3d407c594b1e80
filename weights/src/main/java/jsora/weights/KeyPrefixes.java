package jsora.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jsora.tensor.WeightTensor;

/**
 * The one place where key prefixes that differ between releases are removed: a checkpoint saved from a wrapped module
 * has every key under {@code module.} (DistributedDataParallel) or {@code model.} (a training wrapper, or a dict
 * {"model": state_dict} flattened). When every key carries such a prefix, it is stripped (repeatedly, so
 * {@code model.module.} goes too); otherwise keys are left alone.
 */
public final class KeyPrefixes {
    /** Prefixes a wrapper adds in front of every key. */
    public static final List<String> WRAPPERS = List.of("module.", "model.");

    private KeyPrefixes() {
    }

    /** The checkpoint with a common wrapper prefix removed from its keys (the same object if there is none). */
    public static Checkpoint strip(Checkpoint c) {
        String prefix = commonWrapper(c.keys());
        if (prefix.isEmpty()) {
            return c;
        }
        Map<String, String> stored = new LinkedHashMap<>();
        for (String k : c.keys()) {
            stored.put(k.substring(prefix.length()), k);
        }
        return new Renamed(c, stored, prefix);
    }

    /** The longest run of wrapper prefixes every key starts with, e.g. "model.module." (empty if none). */
    static String commonWrapper(Set<String> keys) {
        String prefix = "";
        boolean grew = true;
        while (grew && !keys.isEmpty()) {
            grew = false;
            for (String w : WRAPPERS) {
                String p = prefix + w;
                if (keys.stream().allMatch(k -> k.startsWith(p) && k.length() > p.length())) {
                    prefix = p;
                    grew = true;
                    break;
                }
            }
        }
        return prefix;
    }

    /** A view of a checkpoint under other key names. */
    private static final class Renamed implements Checkpoint {
        private final Checkpoint inner;
        private final Map<String, String> stored;
        private final String prefix;

        Renamed(Checkpoint inner, Map<String, String> stored, String prefix) {
            this.inner = inner;
            this.stored = stored;
            this.prefix = prefix;
        }

        @Override
        public String format() {
            return inner.format() + ", keys without their '" + prefix + "' prefix";
        }

        private String key(String k) {
            String s = stored.get(k);
            if (s == null) {
                throw Checkpoints.missing(this, k);
            }
            return s;
        }

        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public Set<String> keys() {
            return Collections.unmodifiableSet(stored.keySet());
        }

        @Override
        public boolean contains(String k) {
            return stored.containsKey(k);
        }

        @Override
        public TensorInfo info(String k) {
            return inner.info(key(k));
        }

        @Override
        public WeightTensor weight(String k) {
            return inner.weight(key(k));
        }

        @Override
        public long[] longs(String k) {
            return inner.longs(key(k));
        }

        @Override
        public WeightTensor rows(String k, int[] ids) {
            return inner.rows(key(k), ids);
        }

        @Override
        public Map<String, String> metadata() {
            return inner.metadata();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
