package jsora.weights;

import jsora.tensor.Int8;

/**
 * What the float tensors of a checkpoint become when {@link SafeTensorsWriter} writes it: kept as they are, all
 * converted to one float type, or int8 for the matmul weights ({@link Int8Weights}) with the rest kept. Integer
 * tensors are always copied as they are.
 */
public final class OutputType {
    private final StorageType floatType;
    private final int int8Block;

    private OutputType(StorageType floatType, int int8Block) {
        this.floatType = floatType;
        this.int8Block = int8Block;
    }

    /** Each float tensor keeps its type (F64 is narrowed to F32). */
    public static OutputType keep() {
        return new OutputType(null, 0);
    }

    /** Every float tensor converted to {@code type} (rounding to nearest even). */
    public static OutputType floats(StorageType type) {
        if (type == null) {
            return keep();
        }
        if (!type.isFloat()) {
            throw new IllegalArgumentException("not a float type: " + type);
        }
        return new OutputType(type, 0);
    }

    /** Matmul weights as int8 with one scale per {@code block} elements of a row ({@link Int8#PER_ROW}: per row). */
    public static OutputType int8(int block) {
        if (block < 1) {
            throw new IllegalArgumentException("int8 scale block " + block + " is not positive");
        }
        return new OutputType(null, block);
    }

    /** Whether tensor {@code key} is written as int8 values plus scales. */
    boolean quantizes(String key, TensorInfo info) {
        return int8Block > 0 && (info.isInt8Weight() || Int8Weights.quantizes(key, info));
    }

    int int8Block() {
        return int8Block;
    }

    /** The stored type of a tensor that is not quantized (an int8 weight is dequantized). */
    StorageType typeOf(TensorInfo info) {
        if (info.isInt8Weight()) {
            return floatType != null ? floatType : StorageType.F32;
        }
        if (!info.type().isFloat()) {
            return info.type();
        }
        return floatType != null ? floatType : StorageType.of(info.type().memoryType());
    }

    /** Scales per row of a quantized [N, K] tensor. */
    int scalesPerRow(TensorInfo info) {
        int k = info.shape[1];
        return Int8.blocksPerRow(k, Int8.rowBlock(k, int8Block));
    }

    /** Bytes {@code key} takes in the output (a quantized weight's scales included). */
    public long outputBytes(String key, TensorInfo info) {
        if (quantizes(key, info)) {
            return info.numel() + 4L * info.shape[0] * scalesPerRow(info);
        }
        return info.numel() * typeOf(info).bytes();
    }

    @Override
    public String toString() {
        if (int8Block > 0) {
            return int8Block == Int8.PER_ROW ? "int8 (per row)" : "int8 (blocks of " + int8Block + ")";
        }
        return floatType == null ? "as stored" : floatType.name();
    }
}
