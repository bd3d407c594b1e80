package jsora.tensor;

import java.util.Arrays;

/**
 * A model parameter as it is stored in memory: float32, bf16/fp16 kept at 16 bits, or int8 with float32 scales
 * ({@link Int8}); converted to float32 only inside kernels, when they pack it. Row-major; for a Linear weight the
 * shape is [out, in].
 */
public final class WeightTensor {
    private final DType dtype;
    private final int[] shape;
    private final float[] f32;
    private final short[] half;
    private final byte[] i8;
    private final float[] scales;
    private final int block;
    private final int size;

    private WeightTensor(DType dtype, int[] shape, float[] f32, short[] half) {
        this(dtype, shape, f32, half, null, null, 0);
    }

    private WeightTensor(DType dtype, int[] shape, float[] f32, short[] half, byte[] i8, float[] scales, int block) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        int len = f32 != null ? f32.length : half != null ? half.length : i8.length;
        if (n != len) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + len);
        }
        this.size = len;
        this.f32 = f32;
        this.half = half;
        this.i8 = i8;
        this.scales = scales;
        this.block = block;
    }

    public static WeightTensor ofF32(float[] values, int... shape) {
        return new WeightTensor(DType.F32, shape, values, null);
    }

    /** bf16 or fp16 raw bits. */
    public static WeightTensor ofHalf(DType dtype, short[] bits, int... shape) {
        if (dtype != DType.BF16 && dtype != DType.F16) {
            throw new IllegalArgumentException("ofHalf needs BF16 or F16, not " + dtype);
        }
        return new WeightTensor(dtype, shape, null, bits);
    }

    /**
     * int8 values with one float32 scale per {@code block} consecutive elements of each row (the last axis; the last
     * block of a row may be shorter): element (r, c) is {@code q[r·K + c] · scales[r·⌈K/block⌉ + c / block]}.
     */
    public static WeightTensor ofInt8(byte[] q, float[] scales, int block, int... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("an int8 weight needs at least one axis");
        }
        int k = shape[shape.length - 1];
        if (block < 1) {
            throw new IllegalArgumentException("int8 scale block " + block + " is not positive");
        }
        long rows = k == 0 ? 0 : q.length / k;
        long expected = rows * Int8.blocksPerRow(k, block);
        if (scales.length != expected) {
            throw new IllegalArgumentException("int8 weight " + Arrays.toString(shape) + " with blocks of " + block
                    + " needs " + expected + " scales, got " + scales.length);
        }
        return new WeightTensor(DType.I8, shape, null, null, q, scales, block);
    }

    public static WeightTensor of(Tensor t) {
        return ofF32(t.toArray(), t.shape());
    }

    /** Rounds float32 values to {@code dtype} (nearest even; int8 as {@link Int8#quantize} with its default block). */
    public static WeightTensor convert(Tensor t, DType dtype) {
        if (dtype == DType.F32) {
            return of(t);
        }
        if (dtype == DType.I8) {
            return Int8.quantize(t, Int8.BLOCK);
        }
        float[] v = t.toArray();
        short[] bits = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = dtype == DType.BF16 ? Half.floatToBf16(v[i]) : Half.floatToF16(v[i]);
        }
        return ofHalf(dtype, bits, t.shape());
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return size;
    }

    /** Bytes of the storage (an int8 weight's scales included). */
    public long bytes() {
        return (long) size * dtype.bytes() + (scales == null ? 0 : 4L * scales.length);
    }

    /**
     * The same storage under another shape with the same number of elements (e.g. a conv kernel as [O, C·k]). An int8
     * weight keeps its last axis (its scales run along it).
     */
    public WeightTensor reshape(int... newShape) {
        if (dtype == DType.I8) {
            if (newShape.length == 0 || newShape[newShape.length - 1] != dim(-1)) {
                throw new IllegalArgumentException("an int8 weight " + Arrays.toString(shape) + " cannot be reshaped to "
                        + Arrays.toString(newShape) + ": its scales run along the last axis");
            }
            return new WeightTensor(dtype, newShape, null, null, i8, scales, block);
        }
        return new WeightTensor(dtype, newShape, f32, half);
    }

    /** The float32 array behind an F32 weight (not copied); null for 16-bit weights. */
    public float[] f32() {
        return f32;
    }

    /** The raw 16-bit array behind a BF16/F16 weight (not copied); null otherwise. */
    public short[] halfBits() {
        return half;
    }

    /** The int8 values behind an I8 weight (not copied); null otherwise. */
    public byte[] int8() {
        return i8;
    }

    /** The scales of an I8 weight (not copied), ⌈K / {@link #scaleBlock}⌉ per row; null otherwise. */
    public float[] int8Scales() {
        return scales;
    }

    /** Elements of a row that share one scale (an I8 weight); 0 otherwise. */
    public int scaleBlock() {
        return block;
    }

    public float get(int i) {
        switch (dtype) {
            case F32:
                return f32[i];
            case BF16:
                return Half.bf16ToFloat(half[i]);
            case I8:
                return i8[i] * scales[scaleIndex(i)];
            default:
                return Half.f16ToFloat(half[i]);
        }
    }

    /** The scale index of element {@code i} of an I8 weight. */
    private int scaleIndex(int i) {
        int k = dim(-1);
        return i / k * Int8.blocksPerRow(k, block) + i % k / block;
    }

    /** Converts {@code n} elements starting at {@code from} into {@code dst[dstOff..]}. */
    public void toFloat(int from, float[] dst, int dstOff, int n) {
        switch (dtype) {
            case F32:
                System.arraycopy(f32, from, dst, dstOff, n);
                break;
            case BF16:
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Half.bf16ToFloat(half[from + i]);
                }
                break;
            case I8:
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = get(from + i);
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Half.f16ToFloat(half[from + i]);
                }
        }
    }

    /** The values as a float32 tensor (a copy, except that an F32 weight shares its array). */
    public Tensor toTensor() {
        if (dtype == DType.F32) {
            return Tensor.wrap(f32, shape);
        }
        float[] v = new float[size];
        toFloat(0, v, 0, size);
        return Tensor.wrap(v, shape);
    }

    @Override
    public String toString() {
        return "WeightTensor(" + dtype + ")" + Arrays.toString(shape);
    }
}
