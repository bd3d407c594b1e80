package jsora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jsora.tensor.Half;
import jsora.weights.Overflows;
import jsora.weights.StorageType;

/**
 * The warnings {@code jsora convert} prints when values became ±inf in a 16-bit type: one line per tensor (the first
 * {@link #LISTED}), then the total with the type that keeps them finite. Not an error: the infs are what the type
 * holds (PyTorch's {@code .half()} gives the same), and the names let one pick a wider type where it matters.
 */
final class OverflowWarnings {
    /** Tensors named one per line; the rest are only counted. */
    static final int LISTED = 20;

    private OverflowWarnings() {
    }

    static List<String> lines(Overflows overflows) {
        List<String> lines = new ArrayList<>();
        if (overflows.isEmpty()) {
            return lines;
        }
        List<Overflows.Entry> entries = overflows.entries();
        boolean bf16 = false;
        for (Overflows.Entry e : entries) {
            if (lines.size() < LISTED) {
                lines.add(String.format(Locale.ROOT,
                        "jsora: warning: %s of %s (largest |x| %.1e) exceed%s %s's range (%.5g) and became ±inf",
                        values(e.count()), e.key(), e.largest(), e.count() == 1 ? "s" : "", name(e.type()),
                        e.type() == StorageType.BF16 ? Half.BF16_MAX : Half.F16_MAX));
            }
            bf16 |= e.type() == StorageType.BF16;
        }
        int unlisted = entries.size() - LISTED;
        lines.add(String.format(Locale.ROOT, "jsora: warning: %s in %d tensor%s became ±inf in total%s; %s",
                values(overflows.total()), entries.size(), entries.size() == 1 ? "" : "s",
                unlisted > 0 ? " (" + unlisted + " not listed)" : "",
                bf16 ? "--dtype f32 keeps them finite" : "--dtype bf16 keeps float32's range"));
        return lines;
    }

    private static String values(long n) {
        return n + (n == 1 ? " value" : " values");
    }

    private static String name(StorageType t) {
        return t == StorageType.BF16 ? "bf16" : "fp16";
    }
}
