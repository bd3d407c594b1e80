package jsora.tensor;

/** Element types a weight may be stored in. Activations are always float32 ({@link Tensor}). */
public enum DType {
    F32(4), BF16(2), F16(2),
    /** Symmetric int8 with float32 scales ({@link Int8}); {@link #bytes} counts the 8-bit values only. */
    I8(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
