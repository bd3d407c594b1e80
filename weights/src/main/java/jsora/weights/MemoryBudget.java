package jsora.weights;

import java.util.Locale;

/** Memory budgets for weights: parsing {@code --memory} values and the default taken from the JVM's heap. */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * Bytes from a size such as {@code 6GB}, {@code 1.5g}, {@code 512MB}, {@code 800k} or {@code 1234567} (bytes).
     * Units are binary (1 GB = 2^30 bytes).
     */
    public static long parse(String text) {
        return parse(text, "--memory");
    }

    /** {@link #parse(String)}, naming {@code option} in its error messages. */
    public static long parse(String text, String option) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K': unit = 1L << 10; break;
                case 'M': unit = 1L << 20; break;
                case 'G': unit = 1L << 30; break;
                case 'T': unit = 1L << 40; break;
                default: unit = 0;
            }
            if (unit != 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                unit = 1;
            }
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a size (e.g. 6GB, 512MB, 1234567)");
        }
        if (!(v > 0)) {
            throw new IllegalArgumentException(option + ": '" + text + "' must be a positive size");
        }
        if (v * unit > Long.MAX_VALUE) {
            throw new IllegalArgumentException(option + ": '" + text + "' is too large (8 EB at most)");
        }
        return (long) (v * unit);
    }

    /** Half the JVM's maximum heap: the rest is left for activations. */
    public static long fromHeap() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** A size for people: "1.50 GB", "12.0 MB", "640 B". */
    public static String format(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / (double) (1L << 10));
        }
        return bytes + " B";
    }
}
