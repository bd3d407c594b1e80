package jsora.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM decodes its arguments with the locale's encoding: under {@code LC_ALL=C} "café 🐼" arrives as
 * "caf?? ????" and the video would be made from that. On Linux the raw bytes are in {@code /proc/self/cmdline};
 * an argument the locale's encoding cannot decode is reported rather than silently changed.
 */
final class ArgumentEncoding {
    private ArgumentEncoding() {
    }

    /** Fails if an argument was mangled by the locale's encoding (only where the raw bytes can be read). */
    static void check(String[] args) {
        String enc = System.getProperty("sun.jnu.encoding");
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return; // not Linux: nothing to compare with
        }
        if (enc == null || !Charset.isSupported(enc)) {
            return;
        }
        String lost = lost(split(cmdline), args, Charset.forName(enc));
        if (lost != null) {
            throw new IllegalArgumentException("the argument '" + lost + "' is not in this locale's encoding ("
                    + enc + ") and would reach jsora altered; run it under a UTF-8 locale, e.g. LANG=C.UTF-8");
        }
    }

    /** The first of the last {@code args.length} raw arguments that {@code charset} cannot decode, or null. */
    static String lost(List<byte[]> raw, String[] args, Charset charset) {
        for (byte[] a : raw.subList(Math.max(0, raw.size() - args.length), raw.size())) {
            try {
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(a));
            } catch (CharacterCodingException e) {
                return new String(a, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The NUL-terminated arguments of a {@code /proc/PID/cmdline}. */
    static List<byte[]> split(byte[] cmdline) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                out.add(Arrays.copyOfRange(cmdline, from, i));
                from = i + 1;
            }
        }
        return out;
    }
}
