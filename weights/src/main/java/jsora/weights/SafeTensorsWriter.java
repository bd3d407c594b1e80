package jsora.weights;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jsora.tensor.Int8;
import jsora.tensor.WeightTensor;

/**
 * Writes tensors of a checkpoint into one safetensors file, in a given order, optionally converting float tensors to
 * another type (rounding to nearest even) or quantizing matmul weights to int8 ({@link OutputType}). The file is written beside the target under a temporary name and renamed
 * when complete, so a failed or interrupted write never leaves a partial file under the target name.
 */
public final class SafeTensorsWriter {
    private static final int CHUNK = 1 << 20;

    private SafeTensorsWriter() {
    }

    /**
     * Writes {@code keys} of {@code src} to {@code out}. {@code floatType} is the type of every float tensor in the
     * output (null: keep each tensor's own type, F64 narrowed to F32); integer tensors are copied as they are.
     */
    public static void write(Path out, Checkpoint src, List<String> keys, StorageType floatType,
                             Map<String, String> metadata) {
        write(out, src, keys, OutputType.floats(floatType), metadata);
    }

    /** As {@link #write(Path, Checkpoint, List, OutputType, Map, Overflows)}, not told about overflows. */
    public static void write(Path out, Checkpoint src, List<String> keys, OutputType type,
                             Map<String, String> metadata) {
        write(out, src, keys, type, metadata, new Overflows());
    }

    /**
     * Writes {@code keys} of {@code src} to {@code out} as {@code type} says, one tensor in memory at a time; a
     * quantized weight is followed by its scale tensor ({@link Int8Weights}). Tensors whose values became ±inf in a
     * 16-bit type are added to {@code overflows}.
     */
    public static void write(Path out, Checkpoint src, List<String> keys, OutputType type,
                             Map<String, String> metadata, Overflows overflows) {
        try {
            AtomicFile.write(out, ch -> {
                ch.write(ByteBuffer.wrap(header(src, keys, type, metadata)));
                for (String k : keys) {
                    TensorInfo info = src.info(k);
                    if (type.quantizes(k, info)) {
                        WeightTensor q = quantize(src, k, type.int8Block());
                        writeBytes(ch, q.int8());
                        writeValues(ch, WeightTensor.ofF32(q.int8Scales(), q.int8Scales().length),
                                new FloatEncoder(StorageType.F32));
                    } else {
                        writeTensor(ch, src, k, type.typeOf(info), overflows);
                    }
                }
            });
        } catch (IOException e) {
            throw new CheckpointException(out + ": cannot write: " + Checkpoints.describe(e), e);
        }
    }

    private static WeightTensor quantize(Checkpoint src, String key, int block) {
        try {
            return Int8.quantize(src.tensor(key), block);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(src.path() + ": tensor '" + key + "': " + e.getMessage(), e);
        }
    }

    /** 8-byte length, then the JSON header padded with spaces to a multiple of 8 (as the reference writer does). */
    private static byte[] header(Checkpoint src, List<String> keys, OutputType type, Map<String, String> metadata)
            throws IOException {
        StringWriter s = new StringWriter();
        try (JsonWriter w = new JsonWriter(s)) {
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name("__metadata__").beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    w.name(m.getKey()).value(m.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (String k : keys) {
                TensorInfo info = src.info(k);
                if (type.quantizes(k, info)) {
                    offset = entry(w, k, StorageType.I8, info.shape, offset);
                    int[] scaleShape = {info.shape[0], type.scalesPerRow(info)};
                    offset = entry(w, Int8Weights.scaleKey(k), StorageType.F32, scaleShape, offset);
                } else {
                    offset = entry(w, k, type.typeOf(info), info.shape, offset);
                }
            }
            w.endObject();
        }
        byte[] json = s.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return b.array();
    }

    /** One header entry; returns the offset after its data. */
    private static long entry(JsonWriter w, String key, StorageType t, int[] shape, long offset) throws IOException {
        long bytes = TensorInfo.numel(shape) * t.bytes();
        w.name(key).beginObject().name("dtype").value(t.name()).name("shape").beginArray();
        for (int d : shape) {
            w.value(d);
        }
        w.endArray().name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray().endObject();
        return offset + bytes;
    }

    private static void writeBytes(FileChannel ch, byte[] values) throws IOException {
        for (int from = 0; from < values.length; from += CHUNK) {
            ByteBuffer b = ByteBuffer.wrap(values, from, Math.min(CHUNK, values.length - from));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    private static void writeTensor(FileChannel ch, Checkpoint src, String key, StorageType t, Overflows overflows)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        if (!t.isFloat()) {
            for (long v : src.longs(key)) {
                if (buf.remaining() < 8) {
                    drain(ch, buf);
                }
                putInt(buf, t, v);
            }
            drain(ch, buf);
            return;
        }
        FloatEncoder encoder = new FloatEncoder(t);
        writeValues(ch, src.weight(key), encoder);
        overflows.add(key, encoder);
    }

    private static void writeValues(FileChannel ch, WeightTensor w, FloatEncoder encoder) throws IOException {
        StorageType t = encoder.type();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        boolean sameBits = w.halfBits() != null && StorageType.of(w.dtype()) == t;
        boolean sameFloats = w.f32() != null && t == StorageType.F32;
        int per = CHUNK / t.bytes();
        for (int from = 0; from < w.size(); from += per) {
            int n = Math.min(per, w.size() - from);
            if (sameBits) {
                buf.asShortBuffer().put(w.halfBits(), from, n);
            } else if (sameFloats) {
                buf.asFloatBuffer().put(w.f32(), from, n);
            } else {
                ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = from; i < from + n; i++) {
                    encoder.put(b, w.get(i));
                }
            }
            buf.position(n * t.bytes());
            drain(ch, buf);
        }
    }

    private static void putInt(ByteBuffer buf, StorageType t, long v) {
        switch (t) {
            case I64:
                buf.putLong(v);
                break;
            case I32:
                buf.putInt((int) v);
                break;
            case I16:
                buf.putShort((short) v);
                break;
            default:
                buf.put((byte) v);
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
