package jsora.cli.video;

import java.io.ByteArrayOutputStream;

/** Big-endian bit writer for H.264 RBSPs: fixed-width fields and Exp-Golomb codes (ITU-T H.264 §7.2, §9.1). */
final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int bits;

    /** The low {@code n} bits of {@code value}, most significant first ({@code u(n)}). */
    void u(int n, int value) {
        for (int i = n - 1; i >= 0; i--) {
            bit((value >>> i) & 1);
        }
    }

    void bit(int b) {
        current = (current << 1) | b;
        if (++bits == 8) {
            out.write(current);
            current = 0;
            bits = 0;
        }
    }

    /** Unsigned Exp-Golomb {@code ue(v)}: (leading zeros) 1 (info bits) for value + 1. */
    void ue(int value) {
        int v = value + 1;
        int len = 32 - Integer.numberOfLeadingZeros(v);
        u(len - 1, 0);
        u(len, v);
    }

    /** Signed Exp-Golomb {@code se(v)}: k > 0 maps to 2k − 1, k ≤ 0 to −2k. */
    void se(int value) {
        ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    boolean aligned() {
        return bits == 0;
    }

    /** Whole bytes; only when aligned. */
    void bytes(byte[] b, int off, int len) {
        if (!aligned()) {
            throw new IllegalStateException("byte write at a non-byte boundary");
        }
        out.write(b, off, len);
    }

    /** {@code rbsp_trailing_bits()}: a stop bit 1, then zeros to the byte boundary. */
    void trailingBits() {
        bit(1);
        while (!aligned()) {
            bit(0);
        }
    }

    byte[] toByteArray() {
        if (!aligned()) {
            throw new IllegalStateException("RBSP not byte-aligned");
        }
        return out.toByteArray();
    }
}
