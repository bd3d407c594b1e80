package jsora.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import jsora.tensor.DType;
import jsora.tensor.WeightTensor;

/**
 * Reads the elements of one tensor stored contiguously at a byte position of a file, with positional reads in chunks
 * of at most 4 MiB; selected rows are read alone, so an embedding lookup touches only the rows it needs. Nothing is
 * memory-mapped: mapped pages of a checkpoint would count in the process's resident set until the garbage collector
 * happens to unmap them, and a memory budget (--memory) must hold for the resident set.
 */
final class TensorReader {
    private static final int WINDOW = 4 << 20;

    private final FileChannel channel;
    private final Path path;
    private final int window;

    TensorReader(FileChannel channel, Path path) {
        this(channel, path, WINDOW);
    }

    /** A reader reading at most {@code window} bytes at a time (tests use small windows). */
    TensorReader(FileChannel channel, Path path, int window) {
        this.channel = channel;
        this.path = path;
        this.window = window;
    }

    Path path() {
        return path;
    }

    /** All {@code info.numel()} elements starting at {@code pos}, as a weight of {@code shape}. */
    WeightTensor weight(TensorInfo info, long pos, int[] shape) {
        int n = elementCount(info, TensorInfo.numel(shape));
        StorageType t = floatType(info);
        checkInFile(info, pos, (long) n * t.bytes());
        if (t.memoryType() == DType.F32) {
            float[] dst = new float[n];
            readWindows(info, pos, n, t, (b, off, cnt) -> decodeFloats(b, t, dst, off, cnt, info));
            return WeightTensor.ofF32(dst, shape);
        }
        short[] dst = new short[n];
        readWindows(info, pos, n, t, (b, off, cnt) -> b.asShortBuffer().get(dst, off, cnt));
        return WeightTensor.ofHalf(t.memoryType(), dst, shape);
    }

    /** An I8 tensor of shape [N, K] stored at {@code pos} with its scales, as an int8 weight ({@link Int8Weights}). */
    WeightTensor int8(TensorInfo info, long pos, float[] scales, int block) {
        int n = elementCount(info, info.numel());
        checkInFile(info, pos, n);
        byte[] dst = new byte[n];
        readWindows(info, pos, n, StorageType.I8, (b, off, cnt) -> b.get(dst, off, cnt));
        return WeightTensor.ofInt8(dst, scales, block, info.shape);
    }

    /** All elements of an integer or bool tensor, widened to long. */
    long[] longs(TensorInfo info, long pos, long numel) {
        int n = elementCount(info, numel);
        StorageType t = info.type();
        if (t.isFloat()) {
            throw new CheckpointException(path + ": tensor '" + info.name + "' has dtype " + t + ", not an integer type");
        }
        checkInFile(info, pos, (long) n * t.bytes());
        long[] dst = new long[n];
        readWindows(info, pos, n, t, (b, off, cnt) -> decodeLongs(b, t, dst, off, cnt));
        return dst;
    }

    /** Rows {@code ids} of a tensor of shape [rows, ...] stored at {@code pos}: shape [ids.length, ...]. */
    WeightTensor rows(TensorInfo info, long pos, int[] ids) {
        StorageType t = floatType(info);
        int[] shape = info.shape;
        if (shape.length == 0) {
            throw new CheckpointException(path + ": tensor '" + info.name + "' is a scalar, it has no rows");
        }
        long rowElems = TensorInfo.numel(shape) / Math.max(1, shape[0]);
        int n = elementCount(info, rowElems * ids.length);
        int rowBytes = Math.toIntExact(rowElems * t.bytes());
        checkInFile(info, pos, (long) shape[0] * rowBytes);
        int[] outShape = shape.clone();
        outShape[0] = ids.length;
        ByteBuffer row = ByteBuffer.allocate(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean f32 = t.memoryType() == DType.F32;
        float[] fdst = f32 ? new float[n] : null;
        short[] hdst = f32 ? null : new short[n];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= shape[0]) {
                throw new CheckpointException(path + ": row " + id + " of tensor '" + info.name + "' is out of range [0, "
                        + shape[0] + ")");
            }
            row.clear();
            readFully(row, pos + (long) id * rowBytes, info);
            row.flip();
            int off = (int) (i * rowElems);
            if (f32) {
                decodeFloats(row, t, fdst, off, (int) rowElems, info);
            } else {
                row.asShortBuffer().get(hdst, off, (int) rowElems);
            }
        }
        return f32 ? WeightTensor.ofF32(fdst, outShape) : WeightTensor.ofHalf(t.memoryType(), hdst, outShape);
    }

    private StorageType floatType(TensorInfo info) {
        if (!info.type().isFloat()) {
            throw new CheckpointException(path + ": tensor '" + info.name + "' has dtype " + info.type()
                    + ", not a float type");
        }
        return info.type();
    }

    private int elementCount(TensorInfo info, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(path + ": tensor '" + info.name + "' has " + n
                    + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    /** The file may have been truncated since it was opened: reading past its end must fail with the tensor's name. */
    private void checkInFile(TensorInfo info, long pos, long bytes) {
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read tensor '" + info.name + "': " + e.getMessage(), e);
        }
        if (pos + bytes > size) {
            throw new CheckpointException(path + ": file is truncated: tensor '" + info.name + "' needs bytes up to "
                    + (pos + bytes) + " but the file has " + size);
        }
    }

    private interface WindowSink {
        void accept(ByteBuffer window, int firstElement, int count);
    }

    private void readWindows(TensorInfo info, long pos, int n, StorageType t, WindowSink sink) {
        int perWindow = Math.max(1, window / t.bytes());
        ByteBuffer b = ByteBuffer.allocate(Math.min(n, perWindow) * t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; done += perWindow) {
            int cnt = Math.min(perWindow, n - done);
            b.clear().limit(cnt * t.bytes());
            readFully(b, pos + (long) done * t.bytes(), info);
            b.flip();
            sink.accept(b, done, cnt);
        }
    }

    private void readFully(ByteBuffer buf, long pos, TensorInfo info) {
        try {
            while (buf.hasRemaining()) {
                int r = channel.read(buf, pos);
                if (r < 0) {
                    throw new CheckpointException(path + ": file is truncated inside tensor '" + info.name + "'");
                }
                pos += r;
            }
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read tensor '" + info.name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Float32 values from F32 or F64 storage. An F64 value beyond float32's range would become ±inf and poison every
     * result computed from it, so it is refused, naming the tensor (±inf and NaN stored as such pass through).
     */
    private void decodeFloats(ByteBuffer b, StorageType t, float[] dst, int off, int n, TensorInfo info) {
        if (t == StorageType.F32) {
            b.asFloatBuffer().get(dst, off, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            double d = b.getDouble(i * 8);
            float f = (float) d;
            if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                throw new CheckpointException(path + ": tensor '" + info.name + "' (F64) holds " + d
                        + ", beyond float32's range (±" + Float.MAX_VALUE + "), which jsora computes in");
            }
            dst[off + i] = f;
        }
    }

    private static void decodeLongs(ByteBuffer b, StorageType t, long[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            switch (t) {
                case I64:
                    dst[off + i] = b.getLong(i * 8);
                    break;
                case I32:
                    dst[off + i] = b.getInt(i * 4);
                    break;
                case I16:
                    dst[off + i] = b.getShort(i * 2);
                    break;
                case I8:
                    dst[off + i] = b.get(i);
                    break;
                default: // U8, BOOL
                    dst[off + i] = b.get(i) & 0xff;
            }
        }
    }
}
