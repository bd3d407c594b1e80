package jsora.weights;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file through a temporary sibling and a rename, so a reader never sees a half-written file (checkpoint,
 * video, config) and a failed or stopped run, a full disk included, leaves nothing behind ({@link Temporaries}).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * A temporary file is private (rw-------); give the result the permissions of the file it replaces, or the usual
     * rw-r--r-- of a new file. Not applicable off POSIX file systems.
     */
    private static void permissions(Path tmp, Path target) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, p);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
    }

    /**
     * Fails unless {@code target} is absent or a regular file: a rename would replace a symbolic link, a device or a
     * FIFO with a regular file.
     */
    public static void checkTarget(Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(target.toString(), null,
                    "is not a regular file (a folder, link, device or pipe); name a new or regular file");
        }
    }

    /**
     * Fills a temporary file beside {@code target} with {@code body}, flushes it to disk, then renames it. The channel
     * reads too, for a writer that moves what it wrote (the MP4 writer puts its index before the frames).
     */
    public static void write(Path target, Temporaries.Fill<FileChannel> body) throws IOException {
        Path abs = target.toAbsolutePath();
        checkTarget(abs);
        Path tmp = Temporaries.newFile(abs);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(ch);
                ch.force(false);
            } catch (IOException e) {
                if (e instanceof FileSystemException) {
                    throw e;
                }
                // a failed write (a full disk: "No space left on device") names no file; say which
                throw (IOException) new FileSystemException(abs.toString(), null, e.getMessage()).initCause(e);
            }
            permissions(tmp, abs);
            Temporaries.commit(abs, () -> {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            }, tmp);
            done = true;
        } finally {
            if (!done) {
                Temporaries.delete(tmp);
            }
        }
    }
}
