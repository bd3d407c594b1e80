package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An argument starting with {@code @} is taken as typed: picocli's {@code @file} expansion is off. */
class AtFileTest {
    @TempDir
    Path dir;

    private static Object parsed(String... args) {
        CommandLine.ParseResult r = JsoraCommand.commandLine().parseArgs(args);
        return r.subcommand().commandSpec().userObject();
    }

    @Test
    void aPromptOrPathStartingWithAtStaysLiteral() throws IOException {
        Path user = Files.writeString(dir.resolve("user"), "--help\nstolen line\n");
        String at = "@" + user;
        assertEquals(at, ((GenerateCommand) parsed("generate", at)).prompt);
        assertEquals(at, ((DemoCommand) parsed("demo", "--prompt", at)).prompt);
        assertEquals(at, ((ConvertCommand) parsed("convert", at, "out.safetensors")).in);
    }
}
