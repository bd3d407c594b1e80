package jsora.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * A safetensors file: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then
 * the raw data. Tensors are read lazily, one at a time, from a memory map of just their bytes.
 */
public final class SafeTensors implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** One tensor's header entry. */
    public static final class Entry {
        public final String name;
        public final String dtype;
        public final int[] shape;
        public final long begin;
        public final long end;

        Entry(String name, String dtype, int[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }

        public long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private SafeTensors(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        long size = channel.size();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(len, 0);
        long headerLen = len.getLong(0);
        if (headerLen < 2 || headerLen > size - 8) {
            throw new CheckpointException(path + ": header length " + headerLen + " does not fit a file of " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLen);
        readFully(header, 8);
        dataStart = 8 + headerLen;
        JsonObject json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            JsonObject o = e.getValue().getAsJsonObject();
            var shapeJson = o.getAsJsonArray("shape");
            int[] shape = new int[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsInt();
            }
            var off = o.getAsJsonArray("data_offsets");
            Entry entry = new Entry(e.getKey(), o.get("dtype").getAsString(), shape, off.get(0).getAsLong(),
                    off.get(1).getAsLong());
            if (entry.end > size - dataStart || entry.begin > entry.end) {
                throw new CheckpointException(path + ": tensor '" + e.getKey() + "' lies outside the file");
            }
            entries.put(e.getKey(), entry);
        }
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new CheckpointException(path + ": file is truncated");
            }
            pos += n;
        }
    }

    public static SafeTensors open(Path path) {
        try {
            return new SafeTensors(path);
        } catch (IOException e) {
            throw new CheckpointException(path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof CheckpointException) {
                throw e;
            }
            throw new CheckpointException(path + ": malformed safetensors header (" + e.getMessage() + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    public Entry entry(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new CheckpointException(path + ": no tensor '" + key + "'");
        }
        return e;
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    private ByteBuffer bytes(Entry e) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, e.end - e.begin)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new CheckpointException(path + ": cannot read tensor '" + e.name + "': " + ex.getMessage(), ex);
        }
    }

    /** The tensor as stored: F32 stays float32, BF16/F16 stay 16-bit. */
    public WeightTensor weight(String key) {
        Entry e = entry(key);
        ByteBuffer b = bytes(e);
        int n = (int) e.numel();
        switch (e.dtype) {
            case "F32": {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                return WeightTensor.ofF32(v, e.shape);
            }
            case "BF16":
            case "F16": {
                short[] v = new short[n];
                b.asShortBuffer().get(v);
                return WeightTensor.ofHalf(e.dtype.equals("BF16") ? DType.BF16 : DType.F16, v, e.shape);
            }
            default:
                throw new CheckpointException(path + ": tensor '" + key + "' has dtype " + e.dtype + ", not a float type");
        }
    }

    /** The tensor converted to float32. */
    public Tensor tensor(String key) {
        return weight(key).toTensor();
    }

    /** An integer tensor (I64/I32/I8/U8/BOOL) as longs. */
    public long[] longs(String key) {
        Entry e = entry(key);
        ByteBuffer b = bytes(e);
        int n = (int) e.numel();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            switch (e.dtype) {
                case "I64":
                    v[i] = b.getLong(i * 8);
                    break;
                case "I32":
                    v[i] = b.getInt(i * 4);
                    break;
                case "I8":
                    v[i] = b.get(i);
                    break;
                case "U8":
                case "BOOL":
                    v[i] = b.get(i) & 0xff;
                    break;
                default:
                    throw new CheckpointException(path + ": tensor '" + key + "' has dtype " + e.dtype + ", not an integer type");
            }
        }
        return v;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel: nothing to recover
        }
    }
}
