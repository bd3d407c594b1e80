package jsora.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import jsora.tensor.WeightTensor;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A PyTorch checkpoint in the zip format of {@code torch.save} ({@code .bin}, {@code .pt}, {@code .pth}): a folder
 * {@code <name>/} holding {@code data.pkl} (the pickled state dict) and {@code data/<key>} (one raw little-endian
 * storage per key). The pickle is read by {@link StateDictUnpickler}; storages are STORED entries, read in place at
 * their data offset in the file, like a safetensors tensor. Nested dicts are flattened with dotted keys.
 */
public final class TorchCheckpoint extends FileCheckpoint<TorchCheckpoint.Entry> {
    /** Dicts inside dicts ({"model": state_dict}) are flattened down to this depth; a pickle may even hold a cycle. */
    private static final int MAX_NESTING = 16;

    /** One tensor: a view (offset, shape, strides) of a storage at {@code storagePos} in the file. */
    static final class Entry extends TensorInfo {
        final long storagePos;
        final long offset;
        final long[] stride;

        Entry(String name, StateDictUnpickler.TensorRef t, long storagePos) {
            super(name, t.storage.type, t.shape);
            this.storagePos = storagePos;
            this.offset = t.offset;
            this.stride = t.stride;
        }

        /** 1 + the largest element index the view touches (0 for an empty tensor). */
        long span() {
            long s = 0;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == 0) {
                    return 0;
                }
                s = Math.addExact(s, Math.multiplyExact((long) shape[i] - 1, stride[i]));
            }
            return s + 1;
        }

        boolean contiguous() {
            long expect = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                if (shape[i] != 1 && stride[i] != expect) {
                    return false;
                }
                expect *= shape[i];
            }
            return true;
        }
    }

    private TorchCheckpoint(Path path, FileChannel channel, ZipFile zip) throws IOException {
        super(path, channel);
        String prefix = archivePrefix(zip);
        checkByteOrder(zip, prefix);
        Object root = StateDictUnpickler.read(path + ": " + prefix + "data.pkl", readEntry(zip, prefix + "data.pkl"));
        if (!(root instanceof Map)) {
            throw new CheckpointException(path + ": data.pkl holds no dict of tensors");
        }
        Map<String, StateDictUnpickler.TensorRef> tensors = new LinkedHashMap<>();
        flatten("", (Map<?, ?>) root, tensors, 0);
        for (Map.Entry<String, StateDictUnpickler.TensorRef> e : tensors.entrySet()) {
            entries.put(e.getKey(), locate(zip, prefix, e.getKey(), e.getValue()));
        }
    }

    /** The folder holding data.pkl: torch names it after the file ("pytorch_model/", "archive/"). */
    private String archivePrefix(ZipFile zip) {
        List<String> found = new ArrayList<>();
        for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements();) {
            String name = en.nextElement().getName();
            if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9)) {
                found.add(name.substring(0, name.length() - 8));
            }
        }
        if (found.size() != 1) {
            throw new CheckpointException(path + ": zip archive has " + (found.isEmpty() ? "no" : found.size() + "")
                    + " data.pkl entries: not a torch.save checkpoint");
        }
        return found.get(0);
    }

    private void checkByteOrder(ZipFile zip, String prefix) throws IOException {
        if (zip.getEntry(prefix + "byteorder") != null) {
            String order = new String(readEntry(zip, prefix + "byteorder"), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointException(path + ": storages are " + order + "-endian; only little-endian is supported");
            }
        }
    }

    private byte[] readEntry(ZipFile zip, String name) throws IOException {
        ZipArchiveEntry e = zip.getEntry(name);
        long limit = channel.size();
        if (e.getSize() > limit) {
            throw new CheckpointException(path + ": entry " + name + " claims " + e.getSize() + " bytes, more than the file");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8) + 1);
            if (b.length > limit) {
                throw new CheckpointException(path + ": entry " + name + " expands beyond the file size");
            }
            return b;
        }
    }

    private void flatten(String prefix, Map<?, ?> dict, Map<String, StateDictUnpickler.TensorRef> out, int depth) {
        if (depth > MAX_NESTING) {
            throw new CheckpointException(path + ": data.pkl nests dicts deeper than " + MAX_NESTING + " levels");
        }
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                continue;
            }
            String key = prefix + e.getKey();
            if (e.getValue() instanceof StateDictUnpickler.TensorRef) {
                if (out.put(key, (StateDictUnpickler.TensorRef) e.getValue()) != null) {
                    throw new CheckpointException(path + ": duplicate key '" + key + "'");
                }
            } else if (e.getValue() instanceof Map) {
                flatten(key + ".", (Map<?, ?>) e.getValue(), out, depth + 1);
            }
        }
    }

    private Entry locate(ZipFile zip, String prefix, String key, StateDictUnpickler.TensorRef t) {
        String name = prefix + "data/" + t.storage.key;
        ZipArchiveEntry z = zip.getEntry(name);
        if (z == null) {
            throw new CheckpointException(path + ": tensor '" + key + "' needs storage " + name + ", which is missing");
        }
        if (z.getMethod() != ZipEntry.STORED) {
            throw new CheckpointException(path + ": storage " + name + " of tensor '" + key
                    + "' is compressed; torch.save writes storages uncompressed (re-save the checkpoint)");
        }
        long need;
        Entry entry = new Entry(key, t, z.getDataOffset());
        try {
            need = Math.multiplyExact(t.storage.numel, (long) t.storage.type.bytes());
            if (Math.addExact(t.offset, entry.span()) > t.storage.numel) {
                throw new CheckpointException(path + ": tensor '" + key + "' reaches past the end of its storage " + name);
            }
            if (entry.numel() > t.storage.numel) {
                // only repeated elements (stride 0) make a view larger than its storage; reading it would
                // allocate what the file does not hold
                throw new CheckpointException(path + ": tensor '" + key + "' claims " + Arrays.toString(t.shape)
                        + " = " + entry.numel() + " elements from a storage of " + t.storage.numel
                        + " (stride " + Arrays.toString(t.stride) + "); a state dict stores each element once");
            }
        } catch (ArithmeticException e) {
            throw new CheckpointException(path + ": tensor '" + key + "' has an impossible size or stride");
        }
        if (z.getSize() < need || z.getDataOffset() < 0 || z.getDataOffset() + need > fileSize()) {
            throw new CheckpointException(path + ": storage " + name + " of tensor '" + key + "' holds " + z.getSize()
                    + " bytes, " + t.storage.numel + " × " + t.storage.type + " needs " + need);
        }
        return entry;
    }

    private long fileSize() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new CheckpointException(path + ": " + e.getMessage(), e);
        }
    }

    /** Opens a torch.save zip checkpoint and reads its pickle (never executing anything). */
    public static TorchCheckpoint open(Path path) {
        FileChannel ch = openChannel(path);
        try (ZipFile zip = ZipFile.builder().setPath(path).get()) {
            return new TorchCheckpoint(path, ch, zip);
        } catch (CheckpointException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw new CheckpointException(path + ": not a readable torch.save zip archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String format() {
        return "torch.save zip";
    }

    private long pos(Entry e) {
        return e.storagePos + e.offset * e.type().bytes();
    }

    @Override
    public WeightTensor weight(String key) {
        Entry e = find(key);
        if (e.contiguous()) {
            return reader.weight(e, pos(e), e.shape);
        }
        WeightTensor span = reader.weight(e, pos(e), new int[] {Math.toIntExact(e.span())});
        return StridedGather.gather(span, e.shape, e.stride);
    }

    @Override
    public long[] longs(String key) {
        Entry e = find(key);
        if (!e.contiguous()) {
            throw new CheckpointException(path + ": integer tensor '" + key + "' is not contiguous; re-save it contiguous");
        }
        return reader.longs(e, pos(e), e.numel());
    }

    @Override
    public WeightTensor rows(String key, int[] ids) {
        Entry e = find(key);
        if (e.contiguous()) {
            return reader.rows(e, pos(e), ids);
        }
        return StridedGather.rows(weight(key), ids, path + ": tensor '" + key + "'");
    }

    @Override
    public Map<String, String> metadata() {
        return Collections.emptyMap();
    }
}
