package jsora.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resolves what a user names as a model: a checkpoint file, a folder as downloaded (with {@code config.json}), or a
 * Hugging Face hub id ({@code org/name}, optionally {@code org/name@revision}) found in the local cache
 * ({@link HubCache}). Nothing is downloaded.
 */
public final class ModelLocator {
    /** Weight files a model folder may hold, in order of preference. */
    public static final List<String> WEIGHT_FILES = List.of("model.safetensors", "model.safetensors.index.json",
            "diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json", "diffusion_pytorch_model.bin");
    private static final Pattern FILE_SUFFIX = Pattern.compile(".*\\.(safetensors|bin|pt|pth|json)");
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*(@[\\w.-]+)?");

    private ModelLocator() {
    }

    /** A checkpoint file and, where there is one, the {@code config.json} beside it. */
    public static final class Location {
        private final Path checkpoint;
        private final Path config;

        Location(Path checkpoint, Path config) {
            this.checkpoint = checkpoint;
            this.config = config;
        }

        public Path checkpoint() {
            return checkpoint;
        }

        /** The model's config.json, or null if the folder has none. */
        public Path config() {
            return config;
        }
    }

    /** Resolves a file, folder or hub id, with the hub cache of this process's environment. */
    public static Location locate(String spec) {
        return locate(spec, new HubCache(System.getenv(), Paths.get(System.getProperty("user.home"))));
    }

    static Location locate(String spec, HubCache hub) {
        Path p = Paths.get(spec);
        if (Files.isDirectory(p)) {
            return inFolder(p);
        }
        if (Files.isRegularFile(p)) {
            return new Location(p, config(p.toAbsolutePath().getParent()));
        }
        if (Files.exists(p)) {
            throw new CheckpointException(spec + ": not a checkpoint file or folder (a device or pipe)");
        }
        if (HUB_ID.matcher(spec).matches() && !spec.startsWith(".") && !FILE_SUFFIX.matcher(spec).matches()) {
            return inFolder(hub.snapshot(spec));
        }
        throw new CheckpointException(spec + ": no such file or folder, and not a hub id (org/name)");
    }

    /** The preferred weight file of a model folder. */
    public static Location inFolder(Path dir) {
        for (String f : WEIGHT_FILES) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                return new Location(p, config(dir));
            }
        }
        throw new CheckpointException(dir + ": folder holds no weights (looked for " + String.join(", ", WEIGHT_FILES)
                + ")");
    }

    private static Path config(Path dir) {
        Path c = dir == null ? null : dir.resolve("config.json");
        return c != null && Files.isRegularFile(c) ? c : null;
    }
}
