package jsora.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds checkpoint files byte by byte for tests: raw safetensors, torch.save-like zips and their pickles. */
final class TestFiles {
    private TestFiles() {
    }

    /** 8-byte little-endian header length, the header text, then the data. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip of STORED entries, as torch.save writes them. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A torch.save archive "archive/" holding {@code pickle} and the given storages (key → bytes). */
    static byte[] torchZip(byte[] pickle, Map<String, byte[]> storages) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        for (Map.Entry<String, byte[]> s : storages.entrySet()) {
            entries.put("archive/data/" + s.getKey(), s.getValue());
        }
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return zip(entries);
    }

    /** Writes pickle opcodes (protocol 2), the subset torch.save uses for a state dict. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() {
            out.write(0x80);
            out.write(2);
        }

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            write((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            write(b);
            return this;
        }

        Pickle integer(long v) {
            op('J');
            write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            return this;
        }

        Pickle ints(long... v) {
            op('(');
            for (long x : v) {
                integer(x);
            }
            return op('t');
        }

        /** key → _rebuild_tensor_v2(storage(type, skey, numel), offset, size, stride, False, OrderedDict()). */
        Pickle tensor(String key, String storageType, String skey, long numel, long offset, long[] size, long[] stride) {
            str(key);
            global("torch._utils", "_rebuild_tensor_v2");
            op('(');
            op('(').str("storage").global("torch", storageType).str(skey).str("cpu").integer(numel).op('t', 'Q');
            integer(offset).ints(size).ints(stride).op(0x89);
            global("collections", "OrderedDict").op(')', 'R');
            return op('t', 'R', 's');
        }

        Pickle orderedDict() {
            return global("collections", "OrderedDict").op(')', 'R');
        }

        byte[] stop() {
            out.write('.');
            return out.toByteArray();
        }

        private void write(byte[] b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
