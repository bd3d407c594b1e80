package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * FFmpeg (Debian's {@code ffmpeg} package) as the independent decoder of the MP4s: {@code ffprobe} for what a player
 * sees, {@code ffmpeg} for the decoded RGB frames. Tests that need it skip with a message where it is not on PATH;
 * {@code .ci/run} installs it, so CI never skips them.
 */
public final class Ffmpeg {
    private Ffmpeg() {
    }

    private static Boolean available;

    /** Whether ffmpeg and ffprobe run. */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                available = run(List.of("ffmpeg", "-version")).length > 0
                        && run(List.of("ffprobe", "-version")).length > 0;
            } catch (UncheckedIOException e) {
                available = false;
            }
        }
        return available;
    }

    /** Skips the test, with a message, where FFmpeg is missing; fails it on CI, which installs FFmpeg. */
    public static void assume() {
        String missing = "ffmpeg/ffprobe not on PATH (apt-get install -y ffmpeg)";
        if (!available() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(missing + ", though .ci/run installs it");
        }
        Assumptions.assumeTrue(available(), missing + ": MP4 decode checks skipped");
    }

    /** ffprobe's fields of the first video stream (codec_name, profile, level, width, height, r_frame_rate, ...). */
    public static Map<String, String> probe(Path mp4) {
        String out = new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=codec_name,profile,level,width,height,r_frame_rate,nb_read_frames,pix_fmt,"
                        + "color_range,color_space", "-of", "default=noprint_wrappers=1", mp4.toString())),
                StandardCharsets.UTF_8);
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** Every frame decoded to RGB (rgb24), one after the other. */
    public static byte[] decodeRgb(Path mp4) {
        return decode(mp4, "rgb24");
    }

    /** Every frame decoded to {@code pixFmt} (e.g. yuv420p: the Y, Cb, Cr planes of each frame in turn). */
    static byte[] decode(Path mp4, String pixFmt) {
        return run(List.of("ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "rawvideo", "-pix_fmt", pixFmt, "-"));
    }

    /** The stream as written, in the container's order (a check that the muxing adds up). */
    public static void assertDecodes(Path mp4, int width, int height, int frames, int fps) {
        Map<String, String> p = probe(mp4);
        assertEquals("h264", p.get("codec_name"), p.toString());
        assertEquals(width + "", p.get("width"), p.toString());
        assertEquals(height + "", p.get("height"), p.toString());
        assertEquals(frames + "", p.get("nb_read_frames"), p.toString());
        assertEquals(fps + "/1", p.get("r_frame_rate"), p.toString());
        assertEquals((long) width * height * 3 * frames, decodeRgb(mp4).length, "decoded bytes");
    }

    /** Peak signal-to-noise ratio of {@code b} against {@code a} over all bytes, in dB (infinite when equal). */
    public static double psnr(byte[] a, byte[] b) {
        assertEquals(a.length, b.length, "sizes");
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 * a.length / se);
    }

    private static byte[] run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited with " + code);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
