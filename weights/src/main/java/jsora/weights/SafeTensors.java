package jsora.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import jsora.tensor.Int8;
import jsora.tensor.WeightTensor;

/**
 * A safetensors file: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then
 * the raw data. Opening reads and checks only the header (at most {@link #MAX_HEADER_BYTES}); tensors are read
 * lazily, one at a time, from a memory map of just their bytes.
 */
public final class SafeTensors extends FileCheckpoint<SafeTensors.Entry> {
    /** The same cap as the reference implementation: a larger header is refused before anything is allocated. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private final long dataStart;
    private final Map<String, String> metadata;

    /**
     * One tensor's header entry; {@code begin}/{@code end} are byte offsets relative to the data section. An int8
     * weight carries the entry of its scales ({@link Int8Weights}).
     */
    public static final class Entry extends TensorInfo {
        public final long begin;
        public final long end;
        /** The F32 scales of an int8 weight, else null. */
        public final Entry scale;

        Entry(String name, StorageType type, int[] shape, long begin, long end, Entry scale) {
            super(name, type, shape);
            this.begin = begin;
            this.end = end;
            this.scale = scale;
        }

        @Override
        public boolean isInt8Weight() {
            return scale != null;
        }

        @Override
        public long storedBytes() {
            return scale == null ? super.storedBytes() : super.storedBytes() + scale.storedBytes();
        }

        @Override
        public long memoryBytes() {
            return scale == null ? super.memoryBytes() : numel() + 4 * scale.numel();
        }
    }

    private SafeTensors(Path path, FileChannel channel) throws IOException {
        super(path, channel);
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(path + ": file is truncated (" + size + " bytes, a safetensors file starts with"
                    + " an 8-byte header length)");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(len, 0);
        long headerLen = len.getLong(0);
        if (headerLen < 2) {
            throw new CheckpointException(path + ": header length " + headerLen + " is impossible (a safetensors header"
                    + " is a JSON object)");
        }
        if (headerLen > size - 8) {
            throw new CheckpointException(path + ": header length " + headerLen + " lies past the end of a file of "
                    + size + " bytes");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointException(path + ": header length " + headerLen + " exceeds the cap of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLen);
        readFully(header, 8);
        header.flip();
        dataStart = 8 + headerLen;
        HeaderParser parsed = new HeaderParser(path).parse(utf8(header));
        metadata = Collections.unmodifiableMap(parsed.metadata());
        long dataSize = size - dataStart;
        for (HeaderParser.Raw r : parsed.entries()) {
            entries.put(r.name, check(r, dataSize));
        }
        checkNoOverlap();
        pairInt8Scales();
    }

    /** Attaches every {@code <key>.int8_scale} to its I8 weight {@code <key>} and drops it from the keys. */
    private void pairInt8Scales() {
        List<Entry> scales = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.name.endsWith(Int8Weights.SCALE_SUFFIX)) {
                scales.add(e);
            }
        }
        for (Entry s : scales) {
            String key = s.name.substring(0, s.name.length() - Int8Weights.SCALE_SUFFIX.length());
            Entry w = entries.get(key);
            String what = path + ": int8 scale tensor '" + s.name + "'";
            if (w == null) {
                throw new CheckpointException(what + " has no weight '" + key + "' beside it");
            }
            if (w.type() != StorageType.I8 || w.shape.length != 2) {
                throw new CheckpointException(what + " belongs to '" + key + "', which is " + w
                        + ", not a 2-D I8 weight");
            }
            int k = w.shape[1];
            int per = s.shape.length == 2 ? s.shape[1] : -1;
            boolean fits = s.type() == StorageType.F32 && per >= 1 && s.shape[0] == w.shape[0] && k >= 1
                    && Int8.blocksPerRow(k, Int8.blockForScales(k, per)) == per;
            if (!fits) {
                throw new CheckpointException(what + " is " + s + "; the I8 weight '" + key + "' " + Arrays.toString(
                        w.shape) + " needs F32 [" + w.shape[0] + ", B] with B scales per row, each covering ⌈"
                        + k + "/B⌉ elements");
            }
            entries.put(key, new Entry(w.name, w.type(), w.shape, w.begin, w.end, s));
            entries.remove(s.name);
        }
    }

    private String utf8(ByteBuffer header) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(path + ": malformed safetensors header: not UTF-8 text");
        }
    }

    private Entry check(HeaderParser.Raw r, long dataSize) {
        if (r.end > dataSize) {
            throw new CheckpointException(path + ": tensor '" + r.name + "' has data_offsets [" + r.begin + ", " + r.end
                    + "] out of range: the data section holds " + dataSize + " bytes (file truncated?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorInfo.numel(r.shape), (long) r.type.bytes());
        } catch (ArithmeticException e) {
            expected = -1;
        }
        if (expected != r.end - r.begin) {
            throw new CheckpointException(path + ": tensor '" + r.name + "' holds " + (r.end - r.begin) + " bytes but "
                    + r.type + " × " + Arrays.toString(r.shape) + " needs "
                    + (expected < 0 ? "more than 2^63" : String.valueOf(expected)));
        }
        return new Entry(r.name, r.type, r.shape, r.begin, r.end, null);
    }

    private void checkNoOverlap() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.removeIf(e -> e.begin == e.end);
        sorted.sort(Comparator.comparingLong((Entry e) -> e.begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1);
            Entry b = sorted.get(i);
            if (b.begin < a.end) {
                throw new CheckpointException(path + ": tensors '" + a.name + "' and '" + b.name + "' overlap (bytes "
                        + b.begin + ".." + Math.min(a.end, b.end) + ")");
            }
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

    /** Opens a safetensors file, reading and checking its header. */
    public static SafeTensors open(Path path) {
        FileChannel ch = openChannel(path);
        try {
            return new SafeTensors(path, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException(path + ": " + e.getMessage(), e);
        } catch (CheckpointException e) {
            closeQuietly(ch);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw new CheckpointException(path + ": malformed safetensors header (" + e + ")", e);
        }
    }

    @Override
    public String format() {
        return "safetensors";
    }

    /** The header entry of {@code key} (a {@link TensorInfo} with its byte offsets). */
    public Entry entry(String key) {
        return find(key);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public WeightTensor weight(String key) {
        Entry e = entry(key);
        if (e.scale != null) {
            float[] scales = reader.weight(e.scale, dataStart + e.scale.begin, e.scale.shape).f32();
            int k = e.shape[1];
            return reader.int8(e, dataStart + e.begin, scales, Int8.blockForScales(k, e.scale.shape[1]));
        }
        if (e.type() == StorageType.I8) {
            throw new CheckpointException(path + ": tensor '" + key + "' is I8 but the file has no scale tensor '"
                    + Int8Weights.scaleKey(key) + "' for it, so it is no int8 weight");
        }
        return reader.weight(e, dataStart + e.begin, e.shape);
    }

    @Override
    public long[] longs(String key) {
        Entry e = entry(key);
        return reader.longs(e, dataStart + e.begin, e.numel());
    }

    @Override
    public WeightTensor rows(String key, int[] ids) {
        Entry e = entry(key);
        if (e.scale != null) {
            throw new CheckpointException(path + ": tensor '" + key + "' is an int8 weight; row lookups need a float"
                    + " table (embeddings are not quantized)");
        }
        return reader.rows(e, dataStart + e.begin, ids);
    }
}
