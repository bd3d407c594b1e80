package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsReadableByAllLikeAnyOther() throws IOException {
        Path f = dir.resolve("out.bin");
        AtomicFile.write(f, ch -> ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("keep.bin");
        Files.write(f, new byte[] {9});
        IOException full = assertThrows(IOException.class, () -> AtomicFile.write(f, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2}));
            throw new IOException("No space left on device");
        }));
        assertEquals(f.toAbsolutePath() + ": No space left on device", full.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(f, ch -> {
            throw new IllegalStateException("bug");
        }));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> !p.equals(f)), "temporary file left behind");
        }
    }

    @Test
    void refusesToReplaceALinkOrDevice() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("out.gif"), Path.of("/dev/null"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(link, ch -> { }));
        assertTrue(e.getMessage().contains("out.gif"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
    }
}
