package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jsora.cli.video.VideoWriter;
import jsora.models.sampler.PixelSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --out} is checked before any model work: what it may replace, and names that name nothing. */
class OutputCheckTest {
    @TempDir
    Path dir;

    private static void refused(Path out, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerateCommand.checkOutput(out, 24));
        assertTrue(e.getMessage().startsWith("--out") && e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aFrameFolderMayReplaceOnlyAnEarlierFrameSet() throws IOException {
        Path frames = Files.createDirectory(dir.resolve("frames"));
        Files.createFile(frames.resolve("frame_0000.png"));
        GenerateCommand.checkOutput(frames, 24);
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

    @Test
    void aVideoTheDiskCannotHoldIsRefusedBeforeAnyWork() {
        Path out = dir.resolve("huge.mp4");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GenerateCommand.checkSpace(out, new PixelSize(1 << 20, 1 << 20, 408)));
        assertTrue(e.getMessage().startsWith("--out " + out + ": the video may take") && e.getMessage().contains(
                dir.toString()), e.getMessage());
    }

    @Test
    void theSpaceBoundHoldsForEveryFormat() throws IOException {
        for (String name : new String[] {"v.mp4", "v.gif", "frames"}) {
            Path out = dir.resolve(name);
            GenerateCommandTest.Run r = GenerateCommandTest.run(GenerateCommand::checkpoints, "demo", "--steps", "1",
                    "--out", out.toString());
            assertTrue(r.code() == 0, r.err());
            long size;
            try (Stream<Path> s = Files.walk(out)) {
                size = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            long bound = VideoWriter.maxBytes(VideoWriter.formatOf(out), DemoCommand.SIZE.width(), DemoCommand.SIZE.height(),
                    DemoCommand.SIZE.frames());
            assertTrue(size > 0 && size <= bound, name + ": " + size + " bytes, bound " + bound);
        }
    }
}
