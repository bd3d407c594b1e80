package jsora.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Opens a checkpoint by what it is: a safetensors file, a torch.save zip ({@code .bin}/{@code .pt}/{@code .pth}),
 * a shard index ({@code *.index.json}), a model folder, or a Hugging Face hub id found in the local cache
 * (see {@link ModelLocator}). Keys come out with wrapper prefixes removed ({@link KeyPrefixes}).
 */
public final class Checkpoints {
    /**
     * The legacy (before PyTorch 1.6) torch.save format starts with a pickled magic number: PROTO 2, then LONG1 of
     * 10 bytes (0x80 0x02 0x8a 0x0a). As a safetensors header length these bytes would exceed the header cap.
     */
    private static final byte[] LEGACY_TORCH = {(byte) 0x80, 2, (byte) 0x8a, 0x0a};

    private Checkpoints() {
    }

    /** Opens a file, folder or hub id: {@code Checkpoints.open("hpcaitech/OpenSora-STDiT-v3")}. */
    public static Checkpoint open(String spec) {
        return open(ModelLocator.locate(spec).checkpoint());
    }

    /** Opens a checkpoint file or model folder. */
    public static Checkpoint open(Path path) {
        if (Files.isDirectory(path)) {
            path = ModelLocator.inFolder(path).checkpoint();
        }
        return KeyPrefixes.strip(openFile(path));
    }

    /** Opens one checkpoint file by its format, keys as stored. */
    static Checkpoint openFile(Path path) {
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) {
            return ShardedCheckpoint.open(path);
        }
        byte[] head = head(path);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchCheckpoint.open(path);
        }
        if (Arrays.equals(head, LEGACY_TORCH)) {
            throw new CheckpointException(path + ": legacy torch.save format (PyTorch < 1.6, not a zip archive) is not"
                    + " supported; re-save it with a recent torch.save or convert it to safetensors");
        }
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth")) {
            throw new CheckpointException(path + ": not a torch.save zip archive");
        }
        return SafeTensors.open(path);
    }

    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(4);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot open: " + describe(e), e);
        }
    }

    /** The error for a key the model needs but the checkpoint lacks. */
    static CheckpointException missing(Checkpoint c, String key) {
        StringBuilder msg = new StringBuilder(c.path() + ": no tensor '" + key + "'");
        int n = c.keys().size();
        if (n == 0) {
            msg.append(" (the checkpoint holds no tensors)");
        } else {
            Iterator<String> it = c.keys().iterator();
            msg.append(" (the checkpoint holds ").append(n).append(" tensors, e.g. '").append(it.next()).append("')");
        }
        return new CheckpointException(msg.toString());
    }

    /** A short reason for an I/O failure. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
