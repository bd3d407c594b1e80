package jsora.cli.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jsora.models.pipeline.Video;

/**
 * A palette of at most 256 colours for a whole video, and the mapping of pixels to it. If the video has at most 256
 * distinct colours they are the palette (exact). Otherwise median cut (Heckbert 1982) over a histogram of colours
 * reduced to 5 bits per channel: the box with the widest channel range is split at its pixel-weighted median
 * until there are 256 boxes; each box's colour is the mean of its pixels, and every 5-bit bin maps to the nearest
 * palette colour. No dithering. Deterministic.
 */
final class Palette {
    final int[] colors; // packed 0xRRGGBB
    private final Map<Integer, Integer> exact;
    private final int[] binToIndex;

    private Palette(int[] colors, Map<Integer, Integer> exact, int[] binToIndex) {
        this.colors = colors;
        this.exact = exact;
        this.binToIndex = binToIndex;
    }

    static Palette of(Video v) {
        byte[] rgb = v.rgb();
        Map<Integer, Integer> distinct = new HashMap<>();
        for (int i = 0; i < rgb.length && distinct.size() <= 256; i += 3) {
            distinct.putIfAbsent(packed(rgb, i), 0);
        }
        if (distinct.size() <= 256) {
            int[] colors = distinct.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int i = 0; i < colors.length; i++) {
                distinct.put(colors[i], i);
            }
            return new Palette(colors, distinct, null);
        }
        return medianCut(rgb);
    }

    /** Palette index of the pixel whose R byte is at {@code i}. */
    int index(byte[] rgb, int i) {
        if (exact != null) {
            return exact.get(packed(rgb, i));
        }
        return binToIndex[bin(rgb, i)];
    }

    private static int packed(byte[] rgb, int i) {
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    private static int bin(byte[] rgb, int i) {
        return (rgb[i] & 0xf8) << 7 | (rgb[i + 1] & 0xf8) << 2 | (rgb[i + 2] & 0xff) >> 3;
    }

    private static int channelOfBin(int bin, int c) {
        return (bin >> (10 - 5 * c)) & 31;
    }

    private static Palette medianCut(byte[] rgb) {
        long[] count = new long[1 << 15];
        long[][] sum = new long[3][1 << 15];
        for (int i = 0; i < rgb.length; i += 3) {
            int b = bin(rgb, i);
            count[b]++;
            for (int c = 0; c < 3; c++) {
                sum[c][b] += rgb[i + c] & 0xff;
            }
        }
        List<int[]> boxes = new ArrayList<>();
        boxes.add(nonEmpty(count));
        while (boxes.size() < 256) {
            int best = -1;
            int bestRange = 0;
            for (int k = 0; k < boxes.size(); k++) {
                int[] box = boxes.get(k);
                int r = box.length < 2 ? 0 : widest(box)[1];
                if (r > bestRange) {
                    bestRange = r;
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            int[] box = boxes.remove(best);
            int channel = widest(box)[0];
            Integer[] sorted = Arrays.stream(box).boxed().toArray(Integer[]::new);
            Arrays.sort(sorted, Comparator.comparingInt((Integer b) -> channelOfBin(b, channel)).thenComparingInt(b -> b));
            long total = 0;
            for (int b : box) {
                total += count[b];
            }
            long acc = 0;
            int cut = 1;
            for (int k = 0; k < sorted.length - 1; k++) {
                acc += count[sorted[k]];
                cut = k + 1;
                if (2 * acc >= total) {
                    break;
                }
            }
            boxes.add(Arrays.stream(sorted, 0, cut).mapToInt(Integer::intValue).toArray());
            boxes.add(Arrays.stream(sorted, cut, sorted.length).mapToInt(Integer::intValue).toArray());
        }
        int[] colors = new int[boxes.size()];
        for (int k = 0; k < colors.length; k++) {
            long n = 0;
            long[] s = new long[3];
            for (int b : boxes.get(k)) {
                n += count[b];
                for (int c = 0; c < 3; c++) {
                    s[c] += sum[c][b];
                }
            }
            colors[k] = (int) ((s[0] + n / 2) / n) << 16 | (int) ((s[1] + n / 2) / n) << 8 | (int) ((s[2] + n / 2) / n);
        }
        int[] binToIndex = new int[1 << 15];
        for (int b = 0; b < binToIndex.length; b++) {
            if (count[b] > 0) {
                binToIndex[b] = nearest(colors, (channelOfBin(b, 0) << 3) + 4, (channelOfBin(b, 1) << 3) + 4,
                        (channelOfBin(b, 2) << 3) + 4);
            }
        }
        return new Palette(colors, null, binToIndex);
    }

    /** {channel, range} of the channel with the widest spread of 5-bit values in the box. */
    private static int[] widest(int[] box) {
        int[] lo = {31, 31, 31};
        int[] hi = {0, 0, 0};
        for (int b : box) {
            for (int c = 0; c < 3; c++) {
                int v = channelOfBin(b, c);
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
        int ch = 0;
        for (int c = 1; c < 3; c++) {
            if (hi[c] - lo[c] > hi[ch] - lo[ch]) {
                ch = c;
            }
        }
        return new int[] {ch, hi[ch] - lo[ch]};
    }

    private static int nearest(int[] colors, int r, int g, int b) {
        int best = 0;
        int bestD = Integer.MAX_VALUE;
        for (int k = 0; k < colors.length; k++) {
            int dr = (colors[k] >> 16 & 0xff) - r;
            int dg = (colors[k] >> 8 & 0xff) - g;
            int db = (colors[k] & 0xff) - b;
            int d = dr * dr + dg * dg + db * db;
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    /** The bins that hold at least one pixel. */
    private static int[] nonEmpty(long[] count) {
        return java.util.stream.IntStream.range(0, count.length).filter(b -> count[b] > 0).toArray();
    }
}
