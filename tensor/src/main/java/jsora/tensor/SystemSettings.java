package jsora.tensor;

/**
 * The system properties {@code -Djsora.threads=N} and {@code -Djsora.vectorBits=N}, checked with a message that names
 * the property. {@link Parallel} and {@link Simd} read them when first used; the command line calls {@link #check}
 * before, so a bad value ends in that message rather than a failed class initialization.
 */
public final class SystemSettings {
    public static final String THREADS = "jsora.threads";
    public static final String VECTOR_BITS = "jsora.vectorBits";
    /** Most threads the pool may have: more than a few per core only adds overhead (and can exhaust the JVM). */
    public static final int MAX_THREADS = Math.max(64, 4 * Runtime.getRuntime().availableProcessors());

    private SystemSettings() {
    }

    /** Fails with a one-line message if a property holds a value jsora cannot use. */
    public static void check() {
        threads();
        vectorBits();
    }

    /** {@code -Djsora.threads}, or 0 if unset. */
    static int threads() {
        return read(THREADS, 1, MAX_THREADS, "1 to " + MAX_THREADS);
    }

    /** {@code -Djsora.vectorBits}, or 0 if unset. */
    static int vectorBits() {
        int bits = read(VECTOR_BITS, 64, 512, "64, 128, 256 or 512");
        if (bits != 0 && Integer.bitCount(bits) != 1) {
            throw bad(VECTOR_BITS, "64, 128, 256 or 512");
        }
        return bits;
    }

    private static int read(String name, int min, int max, String expected) {
        String p = System.getProperty(name);
        if (p == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(p.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, expected);
    }

    private static IllegalArgumentException bad(String name, String expected) {
        return new IllegalArgumentException("-D" + name + "=" + System.getProperty(name) + ": must be " + expected);
    }
}
