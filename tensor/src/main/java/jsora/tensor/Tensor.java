package jsora.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: a shape over a row-major, contiguous run of a float array.
 * Views (reshape, slicing along the first axis) share the array; everything else copies.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE || offset + n > data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not fit in "
                    + (data.length - offset) + " elements");
        }
        this.data = data;
        this.offset = offset;
        this.size = (int) n;
    }

    /** A new zero-filled tensor. */
    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        return new Tensor(new float[(int) n], 0, shape);
    }

    /** Wraps an array (not copied) with the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, 0, shape);
    }

    /** Wraps part of an array starting at {@code offset}. */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape);
    }

    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return size;
    }

    /** Same data, new shape; one dimension may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("two -1 in reshape " + Arrays.toString(newShape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
            }
            s[infer] = (int) (size / known);
            known *= s[infer];
        }
        if (known != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(data, offset, s);
    }

    /** View of rows {@code [from, to)} along the first axis. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + Arrays.toString(shape));
        }
        int inner = shape[0] == 0 ? 0 : size / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(data, offset + from * inner, s);
    }

    /** View of index {@code i} along the first axis, with that axis dropped. */
    public Tensor get(int i) {
        return slice(i, i + 1).reshape(Arrays.copyOfRange(shape, 1, shape.length));
    }

    private int flat(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index rank " + idx.length + " for shape " + Arrays.toString(shape));
        }
        int f = 0;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(Arrays.toString(idx) + " in " + Arrays.toString(shape));
            }
            f = f * shape[i] + idx[i];
        }
        return offset + f;
    }

    public float at(int... idx) {
        return data[flat(idx)];
    }

    public void put(float v, int... idx) {
        data[flat(idx)] = v;
    }

    /** A compact copy with its own array. */
    public Tensor copy() {
        return new Tensor(Arrays.copyOfRange(data, offset, offset + size), 0, shape);
    }

    /** The elements as a new array. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    public void copyFrom(Tensor src) {
        if (src.size != size) {
            throw new IllegalArgumentException("copy of " + Arrays.toString(src.shape) + " into " + Arrays.toString(shape));
        }
        System.arraycopy(src.data, src.offset, data, offset, size);
    }

    public void fill(float v) {
        Arrays.fill(data, offset, offset + size, v);
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
