package jsora.weights;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors whose finite values became ±inf when a conversion rounded them to a 16-bit float type (fp16 above
 * 65504, bf16 only next to float32's largest value), in the order they were written. Filled in by
 * {@link SafeTensorsWriter}; a tensor whose values all fit is not listed.
 */
public final class Overflows {
    /** {@code count} values of tensor {@code key} became ±inf in {@code type}; {@code largest} is their largest |x|. */
    public record Entry(String key, StorageType type, long count, float largest) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Records what {@code encoder} counted while writing {@code key}, if anything. */
    void add(String key, FloatEncoder encoder) {
        if (encoder.overflows() > 0) {
            entries.add(new Entry(key, encoder.type(), encoder.overflows(), encoder.largest()));
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Values that became ±inf, over all tensors. */
    public long total() {
        long n = 0;
        for (Entry e : entries) {
            n += e.count();
        }
        return n;
    }
}
