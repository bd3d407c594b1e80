package jsora.cli.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jsora.models.pipeline.Video;
import jsora.weights.AtomicFile;

/**
 * Animated GIF (GIF89a): one global palette for the whole video ({@link Palette}), a NETSCAPE2.0 extension that loops
 * forever, and per frame a graphic control extension with the frame delay ({@link #delays}) and an LZW-coded image
 * ({@link Lzw}).
 */
public final class GifWriter {
    /** Most frames per second a GIF plays: delays are in 1/100 s, and players show a delay under 2 as 10. */
    public static final int MAX_FPS = 50;

    private GifWriter() {
    }

    /**
     * Frame delays in 1/100 s whose running sum stays within half a unit of the true time (frame f ends at
     * round(100·(f+1)/fps)), so that 24 fps plays at 24 (delays 4, 4, 4, 5, …), not at 25 as a constant 4 would.
     */
    static int[] delays(int fps, int frames) {
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("GIF plays 1 to " + MAX_FPS + " frames per second, not " + fps);
        }
        int[] d = new int[frames];
        for (int f = 0; f < frames; f++) {
            d[f] = Math.round(100f * (f + 1) / fps) - Math.round(100f * f / fps);
        }
        return d;
    }

    public static void write(Video v, Path target) throws IOException {
        if (v.width() > 0xFFFF || v.height() > 0xFFFF) {
            throw new IllegalArgumentException("GIF frames are at most 65535 pixels wide and high");
        }
        Palette palette = Palette.of(v);
        AtomicFile.write(target, ch -> {
            ch.write(ByteBuffer.wrap(header(v, palette)));
            int pixels = v.width() * v.height();
            byte[] idx = new byte[pixels];
            int[] delays = delays(v.fps(), v.frames());
            for (int f = 0; f < v.frames(); f++) {
                int base = f * v.frameBytes();
                for (int p = 0; p < pixels; p++) {
                    idx[p] = (byte) palette.index(v.rgb(), base + 3 * p);
                }
                ByteBuffer b = ByteBuffer.wrap(frame(v, idx, delays[f]));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.write(ByteBuffer.wrap(new byte[] {0x3B}));
        });
    }

    private static byte[] header(Video v, Palette palette) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        le16(o, v.width());
        le16(o, v.height());
        o.write(0xF7); // global colour table of 2^(7+1) = 256 entries, 8 bits per primary
        o.write(0); // background colour index
        o.write(0); // pixel aspect ratio: unspecified
        for (int k = 0; k < 256; k++) {
            int c = k < palette.colors.length ? palette.colors[k] : 0;
            o.write(c >> 16 & 0xff);
            o.write(c >> 8 & 0xff);
            o.write(c & 0xff);
        }
        o.writeBytes(new byte[] {0x21, (byte) 0xFF, 11});
        o.writeBytes("NETSCAPE2.0".getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(new byte[] {3, 1, 0, 0, 0}); // loop count 0 = forever
        return o.toByteArray();
    }

    private static byte[] frame(Video v, byte[] idx, int delay) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(idx.length / 2);
        o.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 0x04}); // graphic control: disposal 1 (leave in place)
        le16(o, delay);
        o.writeBytes(new byte[] {0, 0});
        o.write(0x2C); // image descriptor at (0, 0), full size, no local palette
        le16(o, 0);
        le16(o, 0);
        le16(o, v.width());
        le16(o, v.height());
        o.write(0);
        o.write(Lzw.minCodeSize());
        byte[] data = Lzw.encode(idx, 0, idx.length);
        for (int i = 0; i < data.length; i += 255) {
            int n = Math.min(255, data.length - i);
            o.write(n);
            o.write(data, i, n);
        }
        o.write(0);
        return o.toByteArray();
    }

    private static void le16(ByteArrayOutputStream o, int v) {
        o.write(v & 0xff);
        o.write(v >> 8 & 0xff);
    }
}
