package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/**
 * An attention operand [B, H, L, D] read (or written) where it lies: row (b, h, l), D consecutive floats, starts at
 * {@code offset + b·batchStride + h·headStride + l·rowStride}. So attention can take q, k and v straight from a
 * projection's token layout [B, L, parts·H·D] and write its output in the layout the output projection reads,
 * without the copies of a head split and merge.
 */
public final class HeadView {
    final float[] data;
    final int offset;
    final int batch;
    final int heads;
    final int length;
    final int dim;
    final int batchStride;
    final int headStride;
    final int rowStride;

    private HeadView(float[] data, int offset, int batch, int heads, int length, int dim, int batchStride,
                     int headStride, int rowStride) {
        this.data = data;
        this.offset = offset;
        this.batch = batch;
        this.heads = heads;
        this.length = length;
        this.dim = dim;
        this.batchStride = batchStride;
        this.headStride = headStride;
        this.rowStride = rowStride;
    }

    /** A contiguous [B, H, L, D] tensor. */
    public static HeadView of(Tensor t) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException("attention operand must be [B, H, L, D], got " + t);
        }
        int h = t.dim(1);
        int l = t.dim(2);
        int d = t.dim(3);
        return new HeadView(t.data(), t.offset(), t.dim(0), h, l, d, h * l * d, l * d, d);
    }

    /**
     * Part {@code part} of a token-layout tensor [B, L, parts·H·D] (a fused projection's output, e.g. qkv with 3
     * parts, or the input of an output projection with 1), as [B, H, L, D].
     */
    public static HeadView tokens(Tensor t, int parts, int part, int heads) {
        if (t.rank() != 3 || t.dim(2) % (parts * heads) != 0 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("cannot view part " + part + " of " + t + " as " + parts + " x "
                    + heads + " heads");
        }
        int l = t.dim(1);
        int width = t.dim(2);
        int d = width / (parts * heads);
        return new HeadView(t.data(), t.offset() + part * heads * d, t.dim(0), heads, l, d, l * width, d, width);
    }

    /** Where row (b, h, l) starts. */
    int row(int b, int h, int l) {
        return offset + b * batchStride + h * headStride + l * rowStride;
    }

    @Override
    public String toString() {
        return "[" + batch + ", " + heads + ", " + length + ", " + dim + "]";
    }
}
