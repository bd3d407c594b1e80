package jsora.models.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open-Sora 1.2's resolution × aspect-ratio table ({@code opensora/datasets/aspect.py}) as its inference script
 * reads it: {@code --resolution R --aspect-ratio A} looks up the ratio's two-decimal key in the resolution's table
 * and takes the (height, width) found there. Ratios are written height:width, so "9:16" is landscape (240p 9:16 is
 * 240 high, 426 wide).
 */
public final class OpenSoraSizes {
    /** One (resolution, aspect ratio) the reference accepts, with the image size it gives. */
    public record Entry(String resolution, String aspectRatio, int height, int width) {
    }

    /** The aspect ratios Open-Sora 1.2 names, height:width, in its order. */
    static final String[] RATIOS = {"3:8", "9:21", "12:25", "1:2", "9:17", "27:50", "9:16", "5:8", "2:3", "3:4",
        "1:1", "4:3", "3:2", "16:9", "17:9", "2:1", "50:27"};

    private static final Map<String, Map<String, int[]>> TABLE = new LinkedHashMap<>();

    static {
        // (height, width) for each of RATIOS in turn, as aspect.py lists them (some sides odd, e.g. 240p 2:3)
        full("144p", 117, 312, 125, 291, 133, 277, 135, 270, 139, 262, 141, 260, 144, 256, 151, 241, 156, 234,
                166, 221, 192, 192, 221, 165, 235, 156, 256, 144, 263, 139, 271, 135, 277, 132);
        full("240p", 196, 522, 210, 490, 222, 462, 226, 452, 232, 438, 236, 436, 240, 426, 252, 404, 262, 393,
                276, 368, 320, 320, 370, 278, 392, 262, 426, 240, 440, 232, 452, 226, 462, 222);
        full("360p", 294, 784, 314, 732, 332, 692, 340, 680, 350, 662, 352, 652, 360, 640, 380, 608, 392, 588,
                416, 554, 480, 480, 554, 416, 588, 392, 640, 360, 660, 350, 678, 340, 692, 332);
        full("480p", 392, 1046, 420, 980, 444, 925, 452, 904, 466, 880, 470, 870, 480, 854, 506, 810, 522, 784,
                554, 738, 640, 640, 740, 555, 784, 522, 854, 480, 880, 466, 906, 454, 924, 444);
        full("720p", 588, 1568, 628, 1466, 666, 1388, 678, 1356, 698, 1318, 706, 1306, 720, 1280, 758, 1212,
                784, 1176, 832, 1110, 960, 960, 1108, 832, 1176, 784, 1280, 720, 1320, 698, 1358, 680, 1386, 666);
        full("1080p", 882, 2352, 942, 2198, 998, 2080, 1018, 2036, 1048, 1980, 1058, 1958, 1080, 1920, 1138, 1820,
                1176, 1764, 1248, 1664, 1440, 1440, 1662, 1246, 1764, 1176, 1920, 1080, 1980, 1048, 2036, 1018,
                2078, 998);
        full("2k", 1176, 3136, 1256, 2930, 1330, 2770, 1358, 2716, 1398, 2640, 1412, 2612, 1440, 2560, 1518, 2428,
                1568, 2352, 1662, 2216, 1920, 1920, 2218, 1664, 2352, 1568, 2560, 1440, 2638, 1396, 2716, 1358,
                2772, 1330);
        full("4k", 1764, 4704, 1886, 4400, 1996, 4158, 2036, 4072, 2096, 3960, 2118, 3918, 2160, 3840, 2276, 3642,
                2352, 3528, 2494, 3326, 2880, 2880, 3326, 2494, 3528, 2352, 3840, 2160, 3958, 2096, 4072, 2036,
                4156, 1994);
        // The PixArt tables (256 ... 2048) are keyed "0.5", "1.0", ...: of the named ratios only 12:25 ("0.48")
        // finds a key there; 2880 has none.
        TABLE.put("256", Map.of("12:25", new int[] {176, 368}));
        TABLE.put("512", Map.of("12:25", new int[] {352, 736}));
        TABLE.put("1024", Map.of("12:25", new int[] {704, 1472}));
        TABLE.put("2048", Map.of("12:25", new int[] {1408, 2944}));
    }

    private static void full(String resolution, int... hw) {
        Map<String, int[]> row = new LinkedHashMap<>();
        for (int i = 0; i < RATIOS.length; i++) {
            row.put(RATIOS[i], new int[] {hw[2 * i], hw[2 * i + 1]});
        }
        TABLE.put(resolution, row);
    }

    private OpenSoraSizes() {
    }

    /** Every pair the reference accepts, resolution by resolution in the table's order. */
    public static List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        TABLE.forEach((res, row) -> row.forEach((ar, hw) -> all.add(new Entry(res, ar, hw[0], hw[1]))));
        return all;
    }

    /** {height, width} of {@code --resolution resolution --aspect-ratio ratio}, or an error naming what exists. */
    public static int[] imageSize(String resolution, String ratio) {
        Map<String, int[]> row = TABLE.get(resolution);
        if (row == null) {
            throw new IllegalArgumentException("--resolution " + resolution + ": Open-Sora 1.2 has "
                    + String.join(", ", TABLE.keySet()));
        }
        int[] hw = row.get(ratio);
        if (hw == null) {
            throw new IllegalArgumentException("--aspect-ratio " + ratio + " (height:width): Open-Sora 1.2's "
                    + resolution + " has " + String.join(", ", row.keySet()));
        }
        return hw.clone();
    }
}
