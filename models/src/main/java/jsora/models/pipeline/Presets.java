package jsora.models.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import jsora.models.sampler.PixelSize;

/**
 * Named video sizes: On-device Sora's two settings (68 frames at 256×256 and 192×192), and every entry of
 * Open-Sora 1.2's resolution × aspect-ratio table ({@link OpenSoraSizes}) as "RESOLUTION-RATIO", e.g. "240p-9:16",
 * at its default {@value #OPEN_SORA_FRAMES} frames.
 */
public final class Presets {
    /** The preset {@code generate} uses when no size is given. */
    public static final String DEFAULT = "ondevice-256";
    /** Open-Sora 1.2's default frame count ({@code num_frames = 51} in its inference config, "2s"). */
    public static final int OPEN_SORA_FRAMES = 51;

    private static final Map<String, PixelSize> ALL = new LinkedHashMap<>();

    static {
        ALL.put("ondevice-256", new PixelSize(256, 256, 68));
        ALL.put("ondevice-192", new PixelSize(192, 192, 68));
        for (OpenSoraSizes.Entry e : OpenSoraSizes.entries()) {
            ALL.put(e.resolution() + "-" + e.aspectRatio(), new PixelSize(e.height(), e.width(), OPEN_SORA_FRAMES));
        }
    }

    private Presets() {
    }

    public static Map<String, PixelSize> all() {
        return new LinkedHashMap<>(ALL);
    }

    /** The preset's size, or a clear error pointing at the list. */
    public static PixelSize get(String name) {
        PixelSize s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; known: ondevice-256, ondevice-192 and "
                    + "Open-Sora 1.2's RESOLUTION-RATIO, e.g. 240p-9:16 (generate --list-presets shows them all)");
        }
        return s;
    }
}
