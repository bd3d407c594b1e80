package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/**
 * An attention operand [B, H, L, D] read (or written) where it lies: row (b, h, l), D consecutive floats, starts at
 * {@code offset + (b / inner)·batchStride + (b % inner)·innerStride + h·headStride + l·rowStride}. So attention (and
 * the per-head RMSNorm and RoPE before it) can take q, k and v straight from a projection's token layout
 * [B, L, parts·H·D], or its sequences across the frames of a frame-major layout, and write its output in the layout
 * the output projection reads, without the copies of a head split and merge or of a frame transpose.
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
    /** Sequences per step of batchStride; consecutive ones are innerStride apart (1 and 0 unless across frames). */
    final int inner;
    final int innerStride;

    private HeadView(float[] data, int offset, int batch, int heads, int length, int dim, int batchStride,
                     int headStride, int rowStride, int inner, int innerStride) {
        this.data = data;
        this.offset = offset;
        this.batch = batch;
        this.heads = heads;
        this.length = length;
        this.dim = dim;
        this.batchStride = batchStride;
        this.headStride = headStride;
        this.rowStride = rowStride;
        this.inner = inner;
        this.innerStride = innerStride;
    }

    /** A contiguous [B, H, L, D] tensor. */
    public static HeadView of(Tensor t) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException("attention operand must be [B, H, L, D], got " + t);
        }
        int h = t.dim(1);
        int l = t.dim(2);
        int d = t.dim(3);
        return new HeadView(t.data(), t.offset(), t.dim(0), h, l, d, h * l * d, l * d, d, 1, 0);
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
        return new HeadView(t.data(), t.offset() + part * heads * d, t.dim(0), heads, l, d, l * width, d, width, 1,
                0);
    }

    /**
     * Part {@code part} of a frame-major token layout [B, T·S, parts·H·D] (T frames of S tokens each), as the B·S
     * sequences across the frames, [B·S, H, T, D]: sequence b·S + s is token s of every frame of sample b (STDiT's
     * "B (T S) C → (B S) T C", without moving the data).
     */
    public static HeadView acrossFrames(Tensor t, int parts, int part, int heads, int frames) {
        if (t.rank() != 3 || t.dim(2) % (parts * heads) != 0 || part < 0 || part >= parts || frames < 1
                || t.dim(1) % frames != 0) {
            throw new IllegalArgumentException("cannot view part " + part + " of " + t + " as " + parts + " x "
                    + heads + " heads across " + frames + " frames");
        }
        int s = t.dim(1) / frames;
        int width = t.dim(2);
        int d = width / (parts * heads);
        return new HeadView(t.data(), t.offset() + part * heads * d, t.dim(0) * s, heads, frames, d,
                frames * s * width, d, s * width, s, width);
    }

    /** Rows in all: batch × heads × length. */
    int rows() {
        return batch * heads * length;
    }

    /**
     * Where the r-th row in memory order starts, for kernels whose rows are independent (norms, RoPE): in a token
     * layout the heads of one token, then the next token, so that consecutive rows are adjacent in memory; in a
     * contiguous [B, H, L, D] tensor simply row r.
     */
    int rowInMemoryOrder(int r) {
        if (headStride <= rowStride) {
            int h = r % heads;
            int t = r / heads;
            int bi = t % inner;
            t /= inner;
            return offset + (t / length) * batchStride + bi * innerStride + h * headStride + (t % length) * rowStride;
        }
        return row(r / (heads * length), r / length % heads, r % length);
    }

    /** The position l (in its sequence) of the r-th row in memory order. */
    int positionInMemoryOrder(int r) {
        return headStride <= rowStride ? r / heads / inner % length : r % length;
    }

    /** Where row (b, h, l) starts. */
    int row(int b, int h, int l) {
        return offset + (b / inner) * batchStride + (b % inner) * innerStride + h * headStride + l * rowStride;
    }

    @Override
    public String toString() {
        return "[" + batch + ", " + heads + ", " + length + ", " + dim + "]";
    }
}
