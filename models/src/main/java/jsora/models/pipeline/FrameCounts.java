package jsora.models.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A frame count as Open-Sora 1.2's {@code get_num_frames} reads it: a number, or one of its names: "2s", "4s",
 * "8s", "16s", "32s" = 51, 102, 204, 408, 816 frames, and "1x" ... "16x" the same counts.
 */
public final class FrameCounts {
    private static final Map<String, Integer> NAMES = new LinkedHashMap<>();

    static {
        // NUM_FRAMES_MAP of opensora/datasets/aspect.py
        String[] names = {"2s", "4s", "8s", "16s", "32s", "1x", "2x", "4x", "8x", "16x"};
        int[] frames = {51, 102, 204, 408, 816, 51, 102, 204, 408, 816};
        for (int i = 0; i < names.length; i++) {
            NAMES.put(names[i], frames[i]);
        }
    }

    private FrameCounts() {
    }

    /** The count {@code text} names; the caller checks the range. */
    public static int parse(String text) {
        Integer named = NAMES.get(text.trim());
        if (named != null) {
            return named;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--frames " + text + ": expected a number or one of "
                    + String.join(", ", NAMES.keySet()));
        }
    }
}
