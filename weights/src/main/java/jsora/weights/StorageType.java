package jsora.weights;

import jsora.tensor.DType;

/** Element types as stored in a checkpoint file (safetensors spelling). All little-endian. */
public enum StorageType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    StorageType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element on disk. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return floating;
    }

    /** The type a float tensor has in memory: 16-bit types stay 16-bit, F64 is narrowed to F32. */
    public DType memoryType() {
        switch (this) {
            case F16:
                return DType.F16;
            case BF16:
                return DType.BF16;
            default:
                return DType.F32;
        }
    }

    /** The storage type of an in-memory float weight type (an int8 weight is two tensors, see {@link Int8Weights}). */
    public static StorageType of(DType t) {
        switch (t) {
            case F16:
                return F16;
            case BF16:
                return BF16;
            case I8:
                throw new IllegalArgumentException("an int8 weight is stored as I8 values plus F32 scales ("
                        + Int8Weights.SCALE_SUFFIX + "), not as one float type");
            default:
                return F32;
        }
    }

    /** The type named {@code name} (safetensors spelling), or null if there is none. */
    public static StorageType parse(String name) {
        for (StorageType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
