package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFolderTest {
    @TempDir
    Path dir;

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Temporaries.Fill<Path> files(int n) {
        return d -> {
            for (int i = 0; i < n; i++) {
                Files.writeString(d.resolve("f" + i), "new");
            }
        };
    }

    @Test
    void replacesTheFolderInWholeSoNoOldFileStays() throws IOException {
        Path out = dir.resolve("out");
        AtomicFolder.write(out, files(5));
        AtomicFolder.write(out, files(2));
        assertEquals(List.of("f0", "f1"), names(out));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void aFailureLeavesTheFolderAsItWasAndNoTemporary() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("old"), "old");
        assertThrows(IOException.class, () -> AtomicFolder.write(out, d -> {
            files(3).write(d);
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of("old"), names(out));
        assertEquals(List.of("out"), names(dir));
    }
}
