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
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;

/**
 * Writes tensors of a checkpoint into one safetensors file, in a given order, optionally converting float tensors to
 * another type (rounding to nearest even). The file is written beside the target under a temporary name and renamed
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
        if (floatType != null && !floatType.isFloat()) {
            throw new IllegalArgumentException("not a float type: " + floatType);
        }
        try {
            AtomicFile.write(out, ch -> {
                ch.write(ByteBuffer.wrap(header(src, keys, floatType, metadata)));
                for (String k : keys) {
                    writeTensor(ch, src, k, outType(src.info(k), floatType));
                }
            });
        } catch (IOException e) {
            throw new CheckpointException(out + ": cannot write: " + Checkpoints.describe(e), e);
        }
    }

    private static StorageType outType(TensorInfo info, StorageType floatType) {
        if (!info.type().isFloat()) {
            return info.type();
        }
        return floatType != null ? floatType : StorageType.of(info.type().memoryType());
    }

    /** 8-byte length, then the JSON header padded with spaces to a multiple of 8 (as the reference writer does). */
    private static byte[] header(Checkpoint src, List<String> keys, StorageType floatType, Map<String, String> metadata)
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
                StorageType t = outType(info, floatType);
                long bytes = info.numel() * t.bytes();
                w.name(k).beginObject().name("dtype").value(t.name()).name("shape").beginArray();
                for (int d : info.shape) {
                    w.value(d);
                }
                w.endArray().name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray().endObject();
                offset += bytes;
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

    private static void writeTensor(FileChannel ch, Checkpoint src, String key, StorageType t) throws IOException {
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
        WeightTensor w = src.weight(key);
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
                    float v = w.get(i);
                    switch (t) {
                        case F32: b.putFloat(v); break;
                        case BF16: b.putShort(Half.floatToBf16(v)); break;
                        case F16: b.putShort(Half.floatToF16(v)); break;
                        default: b.putDouble(v);
                    }
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
