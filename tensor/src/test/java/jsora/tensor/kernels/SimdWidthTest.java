package jsora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jsora.tensor.Simd;
import org.junit.jupiter.api.Test;

/**
 * The kernels' tests run once per vector width, each width in a JVM started with {@code -Djsora.vectorBits=N} (the
 * tensor module's Surefire executions): this checks that the width asked for is the one the kernels use.
 */
class SimdWidthTest {
    @Test
    void kernelsUseTheWidthThisJvmWasStartedWith() {
        String asked = System.getProperty("jsora.vectorBits");
        int expected = asked == null ? Simd.maxBits() : Integer.parseInt(asked);
        assertEquals(expected, Simd.SPECIES.vectorBitSize());
        assertEquals(expected / Float.SIZE, Simd.SPECIES.length());
    }
}
