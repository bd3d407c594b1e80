package jsora.weights.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the golden reference cases: system property {@code jsora.golden} (default {@code ../shared/golden}).
 * Tests that need them are skipped, with a message, where the folder is absent.
 */
public final class Golden {
    private Golden() {
    }

    public static Path root() {
        return Paths.get(System.getProperty("jsora.golden", "../shared/golden")).toAbsolutePath().normalize();
    }

    /** Skips the calling test unless the golden folder exists. */
    public static Path requireRoot() {
        Path r = root();
        Assumptions.assumeTrue(Files.isDirectory(r), "golden cases not found at " + r + " (set -Djsora.golden)");
        return r;
    }

    /** Every case folder whose name starts with {@code prefix}, sorted; skips the test if there is none. */
    public static List<Path> cases(String prefix) {
        Path r = requireRoot();
        try (Stream<Path> s = Files.list(r)) {
            List<Path> found = s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .collect(Collectors.toList());
            Assumptions.assumeFalse(found.isEmpty(), "no golden case named " + prefix + "* under " + r);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real T5 tokenizer folder: system property {@code jsora.tokenizer} (default {@code ../shared/t5-tokenizer}). */
    public static Path requireTokenizer() {
        Path p = Paths.get(System.getProperty("jsora.tokenizer", "../shared/t5-tokenizer")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(p.resolve("tokenizer.json")),
                "T5 tokenizer.json not found in " + p + " (set -Djsora.tokenizer)");
        return p;
    }
}
