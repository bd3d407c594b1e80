package jsora.models.caption;

/** The windows-1252 meaning of bytes 0x80..0x9F (the five undefined ones map to themselves, "sloppy" style). */
final class Windows1252 {
    private static final String HIGH = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039"
            + "\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A"
            + "\u0153\u009D\u017E\u0178";

    private Windows1252() {
    }

    /** The character of a byte (0..255) under sloppy windows-1252. */
    static String decode(int b) {
        return b >= 0x80 && b <= 0x9F ? String.valueOf(HIGH.charAt(b - 0x80)) : String.valueOf((char) b);
    }
}
