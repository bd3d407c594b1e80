package jsora.weights;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the single-file formats share: the open file, a reader over it, and the entries its index lists. */
abstract class FileCheckpoint<E extends TensorInfo> implements Checkpoint {
    final Path path;
    final FileChannel channel;
    final TensorReader reader;
    final Map<String, E> entries = new LinkedHashMap<>();

    FileCheckpoint(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.reader = new TensorReader(channel, path);
    }

    static FileChannel openChannel(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot open: " + Checkpoints.describe(e), e);
        }
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to recover when closing a read-only channel
        }
    }

    /** The entry of {@code key}, or the error naming the file and key. */
    E find(String key) {
        E e = entries.get(key);
        if (e == null) {
            throw Checkpoints.missing(this, key);
        }
        return e;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    @Override
    public TensorInfo info(String key) {
        return find(key);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
