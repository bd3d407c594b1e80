package jsora.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The outputs being written: temporary files and folders ({@code .NAME<digits>.part}) that become outputs by a
 * rename. A shutdown hook (run on SIGINT, SIGTERM, SIGHUP and on {@code System.exit}) deletes those not yet renamed.
 * Creating a temporary and renaming one hold the same lock as the hook, and neither is allowed once the hook has
 * started: an output either was renamed in whole before the JVM began to stop, or leaves nothing behind.
 */
public final class Temporaries {
    private static final Set<Path> OPEN = new LinkedHashSet<>();
    private static boolean stopping;
    private static boolean hooked;

    private Temporaries() {
    }

    /** What fills a temporary: a file's channel, or a folder. */
    @FunctionalInterface
    public interface Fill<T> {
        void write(T into) throws IOException;
    }

    /** Renames (or other steps) that turn temporaries into outputs. */
    @FunctionalInterface
    public interface Commit {
        void run() throws IOException;
    }

    /** A new empty temporary file beside {@code target}, deleted if the JVM stops before {@link #commit}. */
    public static synchronized Path newFile(Path target) throws IOException {
        checkRunning(target);
        Path abs = target.toAbsolutePath();
        return add(Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".part"));
    }

    /** A new empty temporary folder beside {@code target}, deleted (with its content) if the JVM stops first. */
    public static synchronized Path newFolder(Path target) throws IOException {
        checkRunning(target);
        Path abs = target.toAbsolutePath();
        while (true) {
            Path p = abs.resolveSibling("." + abs.getFileName()
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                return add(Files.createDirectory(p));
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    private static synchronized Path add(Path p) {
        OPEN.add(p);
        return p;
    }

    /** Runs {@code renames} unless the JVM is stopping, then forgets {@code done}: they are outputs now. */
    public static synchronized void commit(Path target, Commit renames, Path... done) throws IOException {
        checkRunning(target);
        renames.run();
        for (Path p : done) {
            OPEN.remove(p);
        }
    }

    /** Deletes {@code p} (a file, or a folder with its content) and forgets it. */
    public static void delete(Path p) throws IOException {
        deleteTree(p);
        synchronized (Temporaries.class) {
            OPEN.remove(p);
        }
    }

    /** Fails once the JVM is stopping; otherwise makes sure the hook is registered. */
    private static void checkRunning(Path target) throws IOException {
        try {
            if (!stopping && !hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(Temporaries::deleteAll, "delete-temporaries"));
                hooked = true;
            }
        } catch (IllegalStateException e) {
            stopping = true; // the JVM began to stop before the first temporary
        }
        if (stopping) {
            throw new IOException(target + ": not written, jsora is stopping");
        }
    }

    private static synchronized void deleteAll() {
        stopping = true;
        List<Path> all = new ArrayList<>(OPEN);
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                deleteTree(all.get(i));
            } catch (IOException e) {
                System.err.println("jsora: could not delete the temporary " + all.get(i) + ": " + e.getMessage());
            }
        }
        OPEN.clear();
    }

    /**
     * Deletes a file or a folder tree. Another thread may still be working in the folder while the hook runs, so a
     * folder whose entries changed during the walk is tried again.
     */
    private static void deleteTree(Path p) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
                return;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(q);
                }
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == 10) {
                    throw e;
                }
            } catch (UncheckedIOException e) {
                if (attempt == 10) {
                    throw e.getCause();
                }
            }
        }
    }
}
