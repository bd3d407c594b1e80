package jsora.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad {@code -Djsora.*} values fail with one message naming the property. */
class SystemSettingsTest {
    @AfterEach
    void clear() {
        System.clearProperty(SystemSettings.THREADS);
        System.clearProperty(SystemSettings.VECTOR_BITS);
    }

    private static String failure(String property, String value) {
        System.setProperty(property, value);
        try {
            return assertThrows(IllegalArgumentException.class, SystemSettings::check).getMessage();
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void badValuesNameTheProperty() {
        assertEquals("-Djsora.vectorBits=7: must be 64, 128, 256 or 512", failure(SystemSettings.VECTOR_BITS, "7"));
        assertEquals("-Djsora.vectorBits=192: must be 64, 128, 256 or 512",
                failure(SystemSettings.VECTOR_BITS, "192"));
        String threads = ": must be 1 to " + SystemSettings.MAX_THREADS;
        assertEquals("-Djsora.threads=abc" + threads, failure(SystemSettings.THREADS, "abc"));
        assertEquals("-Djsora.threads=0" + threads, failure(SystemSettings.THREADS, "0"));
        assertEquals("-Djsora.threads=100000" + threads, failure(SystemSettings.THREADS, "100000"));
    }

    @Test
    void goodValuesAreRead() {
        System.setProperty(SystemSettings.THREADS, " 3 ");
        System.setProperty(SystemSettings.VECTOR_BITS, "128");
        SystemSettings.check();
        assertEquals(3, SystemSettings.threads());
        assertEquals(128, SystemSettings.vectorBits());
    }
}
