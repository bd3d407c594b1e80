package jsora.models.caption;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The single-byte code pages ftfy re-encodes mojibake with ({@code CHARMAP_ENCODINGS}, in its order). The "sloppy"
 * ones are the Windows code pages with their undefined bytes read as Latin-1 and byte 0x1A standing for U+FFFD, as
 * ftfy's {@code bad_codecs.sloppy} defines them. Code pages the running JDK lacks are left out.
 */
final class SingleByteCodec {
    static final List<SingleByteCodec> MOJIBAKE_ENCODINGS = build();

    final String name;
    private final char[] decode = new char[256];
    private final Map<Character, Byte> encode = new HashMap<>();

    private SingleByteCodec(String name, Charset charset, boolean sloppy) {
        this.name = name;
        for (int b = 0; b < 256; b++) {
            String s = new String(new byte[] {(byte) b}, charset);
            char c = s.length() == 1 ? s.charAt(0) : '\uFFFD';
            if (c == '\uFFFD' && sloppy) {
                c = (char) b;
            }
            decode[b] = b < 0x80 ? (char) b : c;
        }
        if (sloppy) {
            decode[0x1A] = '\uFFFD';
        }
        for (int b = 255; b >= 0; b--) {
            encode.put(decode[b], (byte) b);
        }
    }

    private static List<SingleByteCodec> build() {
        String[][] specs = {{"latin-1", "ISO-8859-1", ""}, {"sloppy-windows-1252", "windows-1252", "s"},
            {"sloppy-windows-1251", "windows-1251", "s"}, {"sloppy-windows-1250", "windows-1250", "s"},
            {"sloppy-windows-1253", "windows-1253", "s"}, {"sloppy-windows-1254", "windows-1254", "s"},
            {"sloppy-windows-1257", "windows-1257", "s"}, {"iso-8859-2", "ISO-8859-2", ""},
            {"macroman", "x-MacRoman", ""}, {"cp437", "IBM437", ""}};
        List<SingleByteCodec> list = new ArrayList<>();
        for (String[] s : specs) {
            try {
                list.add(new SingleByteCodec(s[0], Charset.forName(s[1]), !s[2].isEmpty()));
            } catch (UnsupportedCharsetException e) {
                // this JDK lacks the code page: ftfy would try it, we cannot
            }
        }
        return List.copyOf(list);
    }

    /** The bytes of {@code text} in this code page, or null if some character has no byte. */
    byte[] encode(String text) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            Byte b = encode.get(text.charAt(i));
            if (b == null) {
                return null;
            }
            out[i] = b;
        }
        return out;
    }

    /** Strict UTF-8 decoding, or null when the bytes are not valid UTF-8. */
    static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
