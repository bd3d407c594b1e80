package jsora.cli.video;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * GIF's variable-length LZW (GIF89a specification, appendix F) for 8-bit indices: codes start at 9 bits after the
 * clear code (256) and end-of-information code (257), grow to at most 12 bits, and a clear code is sent when the
 * 4096-entry table is full. Codes are packed least significant bit first; the caller splits the result into
 * sub-blocks.
 */
final class Lzw {
    private static final int MIN_CODE_SIZE = 8;
    private static final int CLEAR = 1 << MIN_CODE_SIZE;
    private static final int END = CLEAR + 1;
    private static final int MAX_CODES = 4096;
    private static final int TABLE = 1 << 13; // open-addressing hash of (prefix code, next index) -> code

    private final int[] keys = new int[TABLE];
    private final int[] values = new int[TABLE];
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int bitBuffer;
    private int bitCount;
    private int codeSize;
    private int next;

    static int minCodeSize() {
        return MIN_CODE_SIZE;
    }

    /** LZW-compresses the indices (each 0..255). */
    static byte[] encode(byte[] indices, int from, int to) {
        return new Lzw().run(indices, from, to);
    }

    private byte[] run(byte[] idx, int from, int to) {
        reset();
        emit(CLEAR);
        int prefix = idx[from] & 0xff;
        for (int i = from + 1; i < to; i++) {
            int c = idx[i] & 0xff;
            int key = (prefix << 8 | c) + 1; // +1 so that 0 marks an empty slot
            int slot = find(key);
            if (keys[slot] == key) {
                prefix = values[slot];
                continue;
            }
            emit(prefix);
            if (next < MAX_CODES) {
                keys[slot] = key;
                values[slot] = next++;
                if (next > 1 << codeSize) {
                    codeSize++;
                }
            } else {
                emit(CLEAR);
                reset();
            }
            prefix = c;
        }
        emit(prefix);
        emit(END);
        if (bitCount > 0) {
            out.write(bitBuffer & 0xff);
        }
        return out.toByteArray();
    }

    private int find(int key) {
        int slot = (key * 0x9E3779B1) >>> (32 - 13);
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & (TABLE - 1);
        }
        return slot;
    }

    private void reset() {
        Arrays.fill(keys, 0);
        codeSize = MIN_CODE_SIZE + 1;
        next = END + 1;
    }

    private void emit(int code) {
        bitBuffer |= code << bitCount;
        bitCount += codeSize;
        while (bitCount >= 8) {
            out.write(bitBuffer & 0xff);
            bitBuffer >>>= 8;
            bitCount -= 8;
        }
    }
}
