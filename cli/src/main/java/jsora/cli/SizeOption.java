package jsora.cli;

import java.util.Locale;
import jsora.models.pipeline.LatentSize;

/**
 * A {@code --size WIDTHxHEIGHT} value in pixels, as {@code generate} and {@code bench step} take it. Any side of at
 * least 8 works, as in Open-Sora 1.2: the VAE turns each 8×8 cell into one latent pixel (a remainder is dropped) and
 * STDiT3 pads an odd latent side.
 */
public final class SizeOption {
    /** The rule, for help texts and messages. */
    static final String RULE = "width and height at least " + LatentSize.SPATIAL_FACTOR + "; a side that is no "
            + "multiple of 8 comes out rounded down to one (426 -> 424), as in Open-Sora 1.2";

    private SizeOption() {
    }

    /** {width, height} of {@code text} ("256x256"), or a message naming {@code --size} and the nearest that works. */
    public static int[] parse(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        int w;
        int h;
        try {
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            w = Integer.parseInt(p[0].trim());
            h = Integer.parseInt(p[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--size " + text + ": expected WIDTHxHEIGHT, e.g. 256x256");
        }
        if (nearest(w) != w || nearest(h) != h) {
            throw new IllegalArgumentException("--size " + text + ": " + RULE + "; nearest that works: " + nearest(w)
                    + "x" + nearest(h));
        }
        return new int[] {w, h};
    }

    /** The side nearest to {@code side} that {@link #RULE} allows ({@code side} itself if it does). */
    static int nearest(int side) {
        return Math.max(side, LatentSize.SPATIAL_FACTOR);
    }
}
