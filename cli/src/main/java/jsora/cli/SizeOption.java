package jsora.cli;

import java.util.Locale;

/** A {@code --size WIDTHxHEIGHT} value in pixels, as {@code generate} and {@code bench step} take it. */
public final class SizeOption {
    private SizeOption() {
    }

    /** {width, height} of {@code text} ("256x256"); both at least 16, else a message naming {@code --size}. */
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
        if (w < 16 || h < 16) {
            throw new IllegalArgumentException("--size " + text + ": width and height must be at least 16");
        }
        return new int[] {w, h};
    }
}
