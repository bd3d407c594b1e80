package jsora.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden cases this project made itself with the reference code: the folders of the test resources'
 * {@code golden-extra}, each with its make.py and a README saying how it was made. Unlike the shared cases
 * ({@link jsora.weights.testing.Golden}) they are part of the tree, so the tests that read them run everywhere.
 */
public final class ProjectGolden {
    private ProjectGolden() {
    }

    /** The case folders named {@code prefix}*, sorted; fails if there is none. */
    public static List<Path> cases(String prefix) {
        try (Stream<Path> s = Files.list(Path.of(ProjectGolden.class.getResource("/golden-extra").toURI()))) {
            List<Path> found = s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted().collect(Collectors.toList());
            if (found.isEmpty()) {
                throw new IllegalStateException("no case named " + prefix + "* under golden-extra");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
