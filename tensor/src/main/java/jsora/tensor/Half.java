package jsora.tensor;

/**
 * Conversions between float32 and the two 16-bit formats checkpoints use.
 * bf16 is the top half of a float32; fp16 is IEEE 754 binary16. Both directions round to nearest even.
 */
public final class Half {
    /** The largest finite fp16 value. */
    public static final float F16_MAX = 65504f;
    /** The largest finite bf16 value: float32's largest exponent with 7 mantissa bits set. */
    public static final float BF16_MAX = 0x1.fep127f;

    private Half() {
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** float32 → bf16 with round-to-nearest-even (NaN stays NaN). */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            return (short) ((x >>> 16) | 0x40); // quiet NaN
        }
        int lsb = (x >>> 16) & 1;
        return (short) ((x + 0x7fff + lsb) >>> 16);
    }

    public static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 → fp16 with round-to-nearest-even, overflow to infinity. */
    public static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00);
        }
        if (abs >= 0x477ff000) { // rounds to >= 65520 → inf
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below the smallest normal fp16: subnormal or zero
            float a = Float.intBitsToFloat(abs);
            int m = Math.round(a * 0x1p24f); // Math.round is half-up; fix ties to even
            float exact = a * 0x1p24f;
            if (exact - Math.floor(exact) == 0.5 && (m & 1) == 1) {
                m--;
            }
            return (short) (sign | m);
        }
        int exp = ((abs >>> 23) - 112) << 10;
        int mant = abs & 0x7fffff;
        int half = exp | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
