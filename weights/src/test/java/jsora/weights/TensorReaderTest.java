package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors larger than one mapping window (1 GiB in use; 2 GiB is the limit of a single map) are read window by
 * window: with a 12-byte window, every tensor here spans several windows, some ending mid-element-run.
 */
class TensorReaderTest {
    @Test
    void tensorsSpanningManyWindowsAreStitchedTogether(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(3 + 40 + 14 + 40 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[3]); // an odd start position
        float[] f = new float[10];
        for (int i = 0; i < 10; i++) {
            f[i] = i * 1.25f - 3;
            b.putFloat(f[i]);
        }
        for (int i = 0; i < 7; i++) {
            b.putShort(Half.floatToBf16(i));
        }
        long[] l = {-1, 2, 1L << 50, 4, 5};
        for (long x : l) {
            b.putLong(x);
        }
        for (double d : new double[] {0.5, -1e30, 3}) {
            b.putDouble(d);
        }
        Path p = TestFiles.write(dir, "windows.bin", b.array());
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            TensorReader r = new TensorReader(ch, p, 12);
            WeightTensor w = r.weight(new TensorInfo("f", StorageType.F32, new int[] {2, 5}), 3, new int[] {2, 5});
            assertArrayEquals(f, w.f32());
            WeightTensor h = r.weight(new TensorInfo("h", StorageType.BF16, new int[] {7}), 43, new int[] {7});
            for (int i = 0; i < 7; i++) {
                assertEquals(i, h.get(i));
            }
            assertArrayEquals(l, r.longs(new TensorInfo("l", StorageType.I64, new int[] {5}), 57, 5));
            WeightTensor d = r.weight(new TensorInfo("d", StorageType.F64, new int[] {3}), 97, new int[] {3});
            assertArrayEquals(new float[] {0.5f, -1e30f, 3f}, d.f32());
            WeightTensor rows = r.rows(new TensorInfo("f", StorageType.F32, new int[] {5, 2}), 3, new int[] {4, 1});
            assertArrayEquals(new float[] {f[8], f[9], f[2], f[3]}, rows.f32());
        }
    }

    /** An F64 value beyond float32's range is refused by name; infinities and NaN stored as such are kept. */
    @Test
    void f64BeyondFloatRangeIsRefusedNotTurnedIntoInfinity(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : new double[] {Double.NEGATIVE_INFINITY, Double.NaN, 3.4e38, 1, -1e300}) {
            b.putDouble(d);
        }
        Path p = TestFiles.write(dir, "f64.bin", b.array());
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            TensorReader r = new TensorReader(ch, p, 1 << 20);
            WeightTensor kept = r.weight(new TensorInfo("ok", StorageType.F64, new int[] {4}), 0, new int[] {4});
            assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NaN, 3.4e38f, 1f}, kept.f32());
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> r.weight(new TensorInfo("big", StorageType.F64, new int[] {5}), 0, new int[] {5}));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("'big'")
                    && e.getMessage().contains("-1.0E300"), e.getMessage());
        }
    }
}
