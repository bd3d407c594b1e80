package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --out} is checked before any model work: what it may replace, and names that name nothing. */
class OutputCheckTest {
    @TempDir
    Path dir;

    private static void refused(Path out, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Generate.checkOutput(out));
        assertTrue(e.getMessage().startsWith("--out") && e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aFrameFolderMayReplaceOnlyAnEarlierFrameSet() throws IOException {
        Path frames = Files.createDirectory(dir.resolve("frames"));
        Files.createFile(frames.resolve("frame_0000.png"));
        Generate.checkOutput(frames);
        Files.createFile(frames.resolve("notes.txt"));
        refused(frames, "notes.txt");
    }

    @Test
    void emptyRootAndDeviceNamesAreRefused() throws IOException {
        refused(Path.of(""), "empty");
        refused(Path.of("/"), "name a folder");
        refused(Path.of("/dev/full"), "not a folder");
        refused(Files.createSymbolicLink(dir.resolve("v.gif"), Path.of("/dev/null")), "not a regular file");
    }
}
