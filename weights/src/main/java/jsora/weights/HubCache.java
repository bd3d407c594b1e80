package jsora.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local Hugging Face hub cache: {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
 * {@code ~/.cache/huggingface/hub}. A model {@code org/name} lives in {@code models--org--name/snapshots/<commit>/};
 * {@code refs/<revision>} (default {@code main}) holds the commit a revision points to.
 */
public final class HubCache {
    private final Map<String, String> env;
    private final Path home;

    public HubCache(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** The cache folder in use. */
    public Path root() {
        if (env.get("HF_HUB_CACHE") != null) {
            return Paths.get(env.get("HF_HUB_CACHE"));
        }
        if (env.get("HF_HOME") != null) {
            return Paths.get(env.get("HF_HOME"), "hub");
        }
        return home.resolve(".cache").resolve("huggingface").resolve("hub");
    }

    /** The snapshot folder of {@code org/name[@revision]}. */
    public Path snapshot(String id) {
        String repo = id;
        String revision = "main";
        int at = id.indexOf('@');
        if (at >= 0) {
            repo = id.substring(0, at);
            revision = id.substring(at + 1);
        }
        Path model = root().resolve("models--" + repo.replace("/", "--"));
        Path snapshots = model.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            throw new CheckpointException(id + ": not in the Hugging Face cache (" + model + " not found); download it"
                    + " first, e.g. huggingface-cli download " + repo);
        }
        Path direct = snapshots.resolve(revision);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        Path ref = model.resolve("refs").resolve(revision);
        if (Files.isRegularFile(ref)) {
            try {
                Path snap = snapshots.resolve(Files.readString(ref, StandardCharsets.US_ASCII).trim());
                if (Files.isDirectory(snap)) {
                    return snap;
                }
            } catch (IOException e) {
                throw new CheckpointException(ref + ": cannot read: " + Checkpoints.describe(e), e);
            }
        }
        List<Path> all = list(snapshots);
        if (all.size() == 1 && at < 0) {
            return all.get(0);
        }
        throw new CheckpointException(id + ": revision '" + revision + "' not found in " + snapshots + " (snapshots: "
                + all.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + ")");
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + Checkpoints.describe(e), e);
        }
    }
}
