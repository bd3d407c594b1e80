package jsora.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.WeightTensor;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes float tensors as a {@code torch.save} zip checkpoint (the format of Hugging Face {@code pytorch_model*.bin}
 * files) that {@link TorchCheckpoint} and {@code torch.load} read: {@code archive/data.pkl} (an OrderedDict pickled
 * with protocol 2, each tensor rebuilt by {@code torch._utils._rebuild_tensor_v2} from a persistent storage id),
 * {@code archive/data/<n>} (each storage raw little-endian, STORED, its data 64-byte aligned), {@code archive/version}
 * and {@code archive/byteorder}. Keys whose weights are the same object share one storage, as tied weights do.
 * Zip64 records are written where an entry or the archive needs them, or everywhere when forced. The file is written
 * under a temporary name beside the target and renamed when complete.
 */
public final class TorchZipWriter {
    private static final String ROOT = "archive/";
    /** A fixed entry time (1980-01-01, the zip epoch) so equal inputs give equal bytes. */
    private static final long ENTRY_TIME = 315532800000L;
    private static final int ALIGNMENT = 64;

    private TorchZipWriter() {
    }

    /**
     * Writes {@code keys} of {@code src} (float tensors: F32, BF16 or F16 storages) to {@code out}, reading one tensor
     * at a time. A key in {@code tied} (key → an earlier key) shares that key's storage, as tied weights do.
     */
    public static void write(Path out, Checkpoint src, List<String> keys, Map<String, String> tied,
            boolean forceZip64) {
        Map<String, Integer> storageOf = new LinkedHashMap<>();
        List<String> stored = new ArrayList<>();
        for (String k : keys) {
            String owner = tied.get(k);
            if (owner != null) {
                if (!storageOf.containsKey(owner)) {
                    throw new IllegalArgumentException("'" + k + "' is tied to '" + owner + "', which is not written before it");
                }
                storageOf.put(k, storageOf.get(owner));
            } else {
                storageOf.put(k, stored.size());
                stored.add(k);
            }
        }
        try {
            AtomicFile.write(out, ch -> {
                // finish(), not close(): AtomicFile flushes and closes the channel itself
                ZipArchiveOutputStream zip = new ZipArchiveOutputStream(ch);
                zip.setUseZip64(forceZip64 ? Zip64Mode.Always : Zip64Mode.AsNeeded);
                put(zip, "data.pkl", pickle(src, storageOf));
                for (int i = 0; i < stored.size(); i++) {
                    putStorage(zip, "data/" + i, src.weight(stored.get(i)));
                }
                put(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
                put(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                zip.finish();
            });
        } catch (IOException e) {
            throw new CheckpointException(out + ": cannot write: " + Checkpoints.describe(e), e);
        }
    }

    private static ZipArchiveEntry entry(String name, long size) {
        ZipArchiveEntry e = new ZipArchiveEntry(ROOT + name);
        e.setMethod(ZipArchiveEntry.STORED);
        e.setSize(size);
        e.setTime(ENTRY_TIME);
        e.setAlignment(ALIGNMENT);
        return e;
    }

    private static void put(ZipArchiveOutputStream zip, String name, byte[] data) throws IOException {
        zip.putArchiveEntry(entry(name, data.length));
        zip.write(data);
        zip.closeArchiveEntry();
    }

    private static void putStorage(ZipArchiveOutputStream zip, String name, WeightTensor w) throws IOException {
        if (w.dtype() == DType.I8) {
            throw new CheckpointException(name + ": an int8 weight cannot be written as torch.save; write safetensors");
        }
        int bytes = w.dtype() == DType.F32 ? 4 : 2;
        zip.putArchiveEntry(entry(name, (long) w.size() * bytes));
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / bytes;
        for (int from = 0; from < w.size(); from += per) {
            int n = Math.min(per, w.size() - from);
            buf.clear();
            if (bytes == 4) {
                buf.asFloatBuffer().put(w.f32(), from, n);
            } else {
                buf.asShortBuffer().put(w.halfBits(), from, n);
            }
            zip.write(buf.array(), 0, n * bytes);
        }
        zip.closeArchiveEntry();
    }

    private static String storageClass(StorageType t) {
        switch (t) {
            case F32: return "FloatStorage";
            case BF16: return "BFloat16Storage";
            case F16: return "HalfStorage";
            default: throw new IllegalArgumentException("only float32, bfloat16 and float16 tensors can be written, not " + t);
        }
    }

    /**
     * The state dict as torch.save pickles it (protocol 2): OrderedDict() then SETITEMS of key →
     * _rebuild_tensor_v2((storage persistent id), offset 0, shape, contiguous strides, False, OrderedDict()).
     */
    private static byte[] pickle(Checkpoint src, Map<String, Integer> storageOf) {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        p.global("collections", "OrderedDict").op(')').op('R');
        p.op('(');
        for (Map.Entry<String, Integer> e : storageOf.entrySet()) {
            TensorInfo w = src.info(e.getKey());
            p.string(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            p.op('(').string("storage").global("torch", storageClass(w.type()))
                    .string(Integer.toString(e.getValue())).string("cpu").integer(w.numel()).op('t');
            p.op('Q');
            p.integer(0);
            int[] shape = w.shape;
            p.op('(');
            for (int d : shape) {
                p.integer(d);
            }
            p.op('t').op('(');
            long stride = 1;
            long[] strides = new long[shape.length];
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= shape[i];
            }
            for (long s : strides) {
                p.integer(s);
            }
            p.op('t').op(0x89);
            p.global("collections", "OrderedDict").op(')').op('R');
            p.op('t').op('R');
        }
        p.op('u').op('.');
        return p.bytes();
    }

    /** The few pickle opcodes a state dict needs. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** BINUNICODE: 4-byte little-endian length, UTF-8 bytes. */
        Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le(b.length, 4);
            write(b);
            return this;
        }

        /** BININT1 / BININT2 / BININT (signed 32-bit) / LONG1 (8 bytes) by magnitude, as pickle chooses. */
        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                op('K').op((int) v);
            } else if (v >= 0 && v < 65536) {
                op('M');
                le(v, 2);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                le(v, 4);
            } else {
                op(0x8a).op(8);
                le(v, 8);
            }
            return this;
        }

        private void le(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }

        private void write(byte[] b) {
            out.write(b, 0, b.length);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
