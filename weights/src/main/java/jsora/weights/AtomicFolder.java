package jsora.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a folder (PNG frames, a converted model) as a temporary sibling that replaces the target in whole by two
 * renames once complete, so a failed or stopped run leaves the target as it was and no partial folder
 * ({@link Temporaries}).
 */
public final class AtomicFolder {
    private AtomicFolder() {
    }

    /** Fills a temporary folder beside {@code target} with {@code body}, then puts it in the target's place. */
    public static void write(Path target, Temporaries.Fill<Path> body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Temporaries.newFolder(abs);
        boolean done = false;
        try {
            body.write(tmp);
            Path old = Files.exists(abs) ? Temporaries.newFolder(abs) : null;
            Temporaries.commit(abs, () -> {
                if (old != null) {
                    move(abs, old);
                }
                try {
                    move(tmp, abs);
                } catch (IOException e) {
                    if (old != null) {
                        move(old, abs);
                    }
                    throw e;
                }
            }, tmp);
            done = true;
            if (old != null) {
                Temporaries.delete(old);
            }
        } finally {
            if (!done) {
                Temporaries.delete(tmp);
            }
        }
    }

    /** Renames {@code from} to {@code to}, replacing an empty folder {@code to} (a temporary one is made empty). */
    private static void move(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            Files.delete(to);
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
