package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's refusals (the writers themselves are tested at tiny scale in FakeCheckpointsTest). */
class FakeCheckpointsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return JsoraCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aFileAsTheFolderIsOneLine() throws IOException {
        Path file = Files.createFile(dir.resolve("file"));
        for (Path target : new Path[] {file, file.resolve("sub")}) {
            err.getBuffer().setLength(0);
            assertEquals(1, run("fake-checkpoints", "--only", "stdit", target.toString()));
            assertTrue(err.toString().startsWith("jsora: " + file + " is a file; name a folder"), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
        }
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void unknownModelIsAUsageError() {
        assertEquals(2, run("fake-checkpoints", "--only", "clip", dir.toString()));
        assertTrue(err.toString().contains("clip"), err.toString());
    }
}
