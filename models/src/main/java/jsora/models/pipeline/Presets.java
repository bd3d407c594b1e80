package jsora.models.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import jsora.models.sampler.PixelSize;

/**
 * Named video sizes: On-device Sora's two settings (68 frames at 256×256 and 192×192), and Open-Sora 1.2's
 * resolution / aspect-ratio table entries ({@code opensora/datasets/aspect.py}, height:width) whose sides are
 * multiples of 16, with its default 51 frames ("2s"). Entries with other sides (240p 9:16 is 240×426, 360p 9:16
 * 360×640, 480p 9:16 480×854) are left out: jsora needs sides divisible by 16.
 */
public final class Presets {
    /** The preset {@code generate} uses when neither --preset nor --size is given. */
    public static final String DEFAULT = "ondevice-256";

    private static final Map<String, PixelSize> ALL = new LinkedHashMap<>();

    static {
        ALL.put("ondevice-256", new PixelSize(256, 256, 68));
        ALL.put("ondevice-192", new PixelSize(192, 192, 68));
        ALL.put("144p-9:16", new PixelSize(144, 256, 51));
        ALL.put("144p-16:9", new PixelSize(256, 144, 51));
        ALL.put("144p-1:1", new PixelSize(192, 192, 51));
        ALL.put("240p-1:1", new PixelSize(320, 320, 51));
        ALL.put("360p-1:1", new PixelSize(480, 480, 51));
        ALL.put("480p-1:1", new PixelSize(640, 640, 51));
        ALL.put("720p-9:16", new PixelSize(720, 1280, 51));
        ALL.put("720p-16:9", new PixelSize(1280, 720, 51));
        ALL.put("720p-1:1", new PixelSize(960, 960, 51));
    }

    private Presets() {
    }

    public static Map<String, PixelSize> all() {
        return new LinkedHashMap<>(ALL);
    }

    /** The preset's size, or a clear error listing the known names. */
    public static PixelSize get(String name) {
        PixelSize s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + String.join(", ",
                    ALL.keySet()));
        }
        return s;
    }

    /** One line per preset, for help texts. */
    public static String describe() {
        return ALL.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue().width() + "x"
                + e.getValue().height() + ", " + e.getValue().frames() + " frames").collect(Collectors.joining("; "));
    }
}
