package jsora.tensor;

import java.util.Arrays;

/**
 * A model parameter as it is stored in memory: float32, or bf16/fp16 kept at 16 bits (converted to float32 only
 * inside kernels, when they pack it). Row-major; for a Linear weight the shape is [out, in].
 */
public final class WeightTensor {
    private final DType dtype;
    private final int[] shape;
    private final float[] f32;
    private final short[] half;
    private final int size;

    private WeightTensor(DType dtype, int[] shape, float[] f32, short[] half) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        int len = f32 != null ? f32.length : half.length;
        if (n != len) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + len);
        }
        this.size = len;
        this.f32 = f32;
        this.half = half;
    }

    public static WeightTensor ofF32(float[] values, int... shape) {
        return new WeightTensor(DType.F32, shape, values, null);
    }

    /** bf16 or fp16 raw bits. */
    public static WeightTensor ofHalf(DType dtype, short[] bits, int... shape) {
        if (dtype == DType.F32) {
            throw new IllegalArgumentException("ofHalf needs BF16 or F16");
        }
        return new WeightTensor(dtype, shape, null, bits);
    }

    public static WeightTensor of(Tensor t) {
        return ofF32(t.toArray(), t.shape());
    }

    /** Rounds float32 values to {@code dtype} (nearest even). */
    public static WeightTensor convert(Tensor t, DType dtype) {
        if (dtype == DType.F32) {
            return of(t);
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

    public long bytes() {
        return (long) size * dtype.bytes();
    }

    /** The same storage under another shape with the same number of elements (e.g. a conv kernel as [O, C·k]). */
    public WeightTensor reshape(int... newShape) {
        return new WeightTensor(dtype, newShape, f32, half);
    }

    /** The float32 array behind an F32 weight (not copied); null for 16-bit weights. */
    public float[] f32() {
        return f32;
    }

    /** The raw 16-bit array behind a BF16/F16 weight (not copied); null for F32. */
    public short[] halfBits() {
        return half;
    }

    public float get(int i) {
        switch (dtype) {
            case F32:
                return f32[i];
            case BF16:
                return Half.bf16ToFloat(half[i]);
            default:
                return Half.f16ToFloat(half[i]);
        }
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
