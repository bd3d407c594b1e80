package jsora.tensor;

/** Element types a weight may be stored in. Activations are always float32 ({@link Tensor}). */
public enum DType {
    F32(4), BF16(2), F16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
