package jsora.weights;

import java.util.Arrays;

/** What a checkpoint says about one tensor before reading it: name, element type, shape. */
public class TensorInfo {
    public final String name;
    /** The element type in safetensors spelling ("F32", "BF16", ...). */
    public final String dtype;
    public final int[] shape;
    private final StorageType type;

    TensorInfo(String name, StorageType type, int[] shape) {
        this.name = name;
        this.type = type;
        this.dtype = type.name();
        this.shape = shape;
    }

    /** Describes a tensor that does not come from a file (a checkpoint generated or held in memory). */
    public static TensorInfo of(String name, StorageType type, int... shape) {
        return new TensorInfo(name, type, shape.clone());
    }

    public StorageType type() {
        return type;
    }

    /** Number of elements (the product of the shape; 1 for a scalar). */
    public long numel() {
        return numel(shape);
    }

    /** Bytes the tensor occupies in the file (an int8 weight's scales included). */
    public long storedBytes() {
        return numel() * type.bytes();
    }

    /** Whether this is an int8 weight with its scales ({@link Int8Weights}), read as an I8 weight. */
    public boolean isInt8Weight() {
        return false;
    }

    /**
     * Bytes the tensor occupies once read: 16-bit floats stay 16-bit, other floats become float32 (an int8 weight
     * counts its scales too).
     */
    public long memoryBytes() {
        return type.isFloat() ? numel() * type.memoryType().bytes() : numel() * 8;
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
