package jsora.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HalfTest {
    @Property
    void bf16RoundTripIsExactForBf16Values(@ForAll short bits) {
        float f = Half.bf16ToFloat(bits);
        if (!Float.isNaN(f)) {
            assertEquals(bits, Half.floatToBf16(f));
        }
    }

    @Property
    void f16RoundTripIsExactForF16Values(@ForAll short bits) {
        float f = Half.f16ToFloat(bits);
        if (!Float.isNaN(f)) {
            assertEquals(bits, Half.floatToF16(f));
        }
    }

    @Property
    void bf16RoundsToNearest(@ForAll float f) {
        if (Float.isNaN(f) || Float.isInfinite(f) || Math.abs(f) > 3e38f) {
            return;
        }
        float r = Half.bf16ToFloat(Half.floatToBf16(f));
        short b = Half.floatToBf16(f);
        float up = Half.bf16ToFloat((short) (b + 1));
        float down = Half.bf16ToFloat((short) (b - 1));
        double err = Math.abs((double) r - f);
        // no other bf16 value is closer (neighbours that are NaN or Inf do not count)
        if (Float.isFinite(up)) {
            assertEquals(true, err <= Math.abs((double) up - f), () -> f + " rounded to " + r + ", " + up + " is closer");
        }
        if (Float.isFinite(down)) {
            assertEquals(true, err <= Math.abs((double) down - f), () -> f + " rounded to " + r + ", " + down + " is closer");
        }
    }

    @Test
    void f16KnownValues() {
        assertEquals((short) 0x3c00, Half.floatToF16(1f));
        assertEquals((short) 0x7bff, Half.floatToF16(65504f));
        assertEquals((short) 0x7c00, Half.floatToF16(65520f));
        assertEquals((short) 0x0001, Half.floatToF16(0x1p-24f));
        assertEquals((short) 0x0000, Half.floatToF16(0x1p-25f)); // tie rounds to even (zero)
        assertEquals(0x1p-14f, Half.f16ToFloat((short) 0x0400));
    }

    @Test
    void largestValuesAndTheirOverflow() {
        assertEquals(Half.F16_MAX, Half.f16ToFloat((short) 0x7bff));
        assertEquals(Half.BF16_MAX, Half.bf16ToFloat((short) 0x7f7f));
        // the midpoint between bf16's largest value and 2^128 rounds to even: infinity
        assertEquals((short) 0x7f80, Half.floatToBf16(0x1.ffp127f));
        assertEquals((short) 0x7f80, Half.floatToBf16(Float.MAX_VALUE));
        assertEquals((short) 0x7f7f, Half.floatToBf16(Math.nextDown(0x1.ffp127f)));
        assertEquals((short) 0x7bff, Half.floatToF16(Math.nextDown(65520f)));
    }
}
