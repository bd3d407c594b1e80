package jsora.models.t5;

import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protocol-buffers wire format (varint, 64-bit, length-delimited and 32-bit fields), enough to
 * walk a sentencepiece {@code ModelProto}. Errors say where in the message the bytes stop making sense.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] data;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtoReader(byte[] data, int from, int to) {
        this.data = data;
        this.pos = from;
        this.end = to;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        long t = varint();
        if (t >>> 3 == 0 || t > Integer.MAX_VALUE) {
            throw corrupt("invalid field tag " + t);
        }
        tag = (int) t;
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = byteAt(pos++);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    float fixed32Float() {
        expect(FIXED32);
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            bits |= byteAt(pos++) << (8 * i);
        }
        return Float.intBitsToFloat(bits);
    }

    byte[] bytes() {
        int n = length();
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The embedded message of the current length-delimited field. */
    ProtoReader message() {
        int n = length();
        ProtoReader sub = new ProtoReader(data, pos, pos + n);
        pos += n;
        return sub;
    }

    boolean bool() {
        expect(VARINT);
        return varint() != 0;
    }

    int int32() {
        expect(VARINT);
        return (int) varint();
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw corrupt("unsupported wire type " + wireType() + " for field " + field());
        }
    }

    private int length() {
        expect(LENGTH_DELIMITED);
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw corrupt("field " + field() + " declares " + n + " bytes, " + (end - pos) + " remain");
        }
        return (int) n;
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw corrupt("field " + field() + " runs past the end");
        }
        pos += n;
    }

    private void expect(int wire) {
        if (wireType() != wire) {
            throw corrupt("field " + field() + " has wire type " + wireType() + ", expected " + wire);
        }
    }

    private int byteAt(int i) {
        if (i >= end) {
            throw corrupt("message ends inside a value");
        }
        return data[i] & 0xFF;
    }

    private IllegalArgumentException corrupt(String what) {
        return new IllegalArgumentException(what + " at byte " + pos);
    }
}
