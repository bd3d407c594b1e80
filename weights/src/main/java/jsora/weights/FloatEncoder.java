package jsora.weights;

import java.nio.ByteBuffer;
import jsora.tensor.Half;

/**
 * Puts float32 values into a buffer as one float type (F32, or BF16/F16 rounded to nearest even by {@link Half}) and
 * counts the finite values that rounding made ±inf; values that were already inf or NaN are not counted. In fp16 that
 * is every |x| ≥ 65520: the midpoint between 65504 (the largest fp16) and 2^16 is a tie, and the even neighbour is
 * 2^16, i.e. inf. In bf16 it is only |x| ≥ 0x1.ffp127 (about 3.3962e38), the same midpoint above
 * {@link Half#BF16_MAX}.
 */
final class FloatEncoder {
    private static final int F16_INF = 0x7c00;
    private static final int BF16_INF = 0x7f80;

    private final StorageType type;
    private long overflows;
    private float largest;

    FloatEncoder(StorageType type) {
        this.type = type;
    }

    StorageType type() {
        return type;
    }

    void put(ByteBuffer b, float v) {
        switch (type) {
            case F32:
                b.putFloat(v);
                break;
            case BF16:
                b.putShort(counted(v, Half.floatToBf16(v), BF16_INF));
                break;
            case F16:
                b.putShort(counted(v, Half.floatToF16(v), F16_INF));
                break;
            default:
                b.putDouble(v);
        }
    }

    /** Finite values that became ±inf so far. */
    long overflows() {
        return overflows;
    }

    /** The largest |x| of those values (0 if none). */
    float largest() {
        return largest;
    }

    private short counted(float v, short bits, int inf) {
        if ((bits & 0x7fff) == inf && Float.isFinite(v)) {
            overflows++;
            largest = Math.max(largest, Math.abs(v));
        }
        return bits;
    }
}
