package jsora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@code jsora.exp} choice; "auto" follows the JIT (exponent bits everywhere but SVE). */
class JitSupportTest {
    @Test
    void expChoice() {
        assertTrue(JitSupport.expBits("bits"));
        assertFalse(JitSupport.expBits("arithmetic"));
        assertEquals(!JitSupport.SVE, JitSupport.expBits("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JitSupport.expBits("fast"));
        assertEquals("jsora.exp must be auto, bits or arithmetic, got fast", e.getMessage());
    }
}
