package jsora.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The three checkpoints {@code generate} needs and where it looks for them: {@code --models DIR/<folder>} (a folder
 * as downloaded, with config.json), else the Hugging Face cache ({@code $HF_HUB_CACHE}, {@code $HF_HOME/hub} or
 * {@code ~/.cache/huggingface/hub}, snapshot of {@code refs/main}). When any is missing, the error names each with its
 * hub id and the command that fetches it.
 */
final class RequiredModels {

    /** One checkpoint. */
    record Model(String role, String hubId, String folder) {
        String fetchCommand(Path dir) {
            return "huggingface-cli download " + hubId + " --local-dir " + dir.resolve(folder);
        }
    }

    static final List<Model> ALL = List.of(
            new Model("text encoder T5 v1.1 XXL", "DeepFloyd/t5-v1_1-xxl", "t5-v1_1-xxl"),
            new Model("diffusion model STDiT3-XL/2", "hpcai-tech/OpenSora-STDiT-v3", "OpenSora-STDiT-v3"),
            new Model("VAE", "hpcai-tech/OpenSora-VAE-v1.2", "OpenSora-VAE-v1.2"));

    /** The model folders found. */
    record Found(Path t5, Path stdit3, Path vae) {
    }

    private final Path modelsDir;
    private final Path hubCache;

    RequiredModels(Path modelsDir, Map<String, String> env, Path home) {
        this.modelsDir = modelsDir;
        this.hubCache = hubCache(env, home);
    }

    static Path hubCache(Map<String, String> env, Path home) {
        if (env.get("HF_HUB_CACHE") != null) {
            return Paths.get(env.get("HF_HUB_CACHE"));
        }
        if (env.get("HF_HOME") != null) {
            return Paths.get(env.get("HF_HOME"), "hub");
        }
        return home.resolve(".cache/huggingface/hub");
    }

    /** The folders, or an exception whose message lists every missing checkpoint and how to fetch it. */
    Found locate() {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Path fetchDir = modelsDir != null ? modelsDir : Paths.get("models");
        for (Model m : ALL) {
            Path p = find(m);
            found.add(p);
            if (p == null) {
                missing.add(m.role() + " " + m.hubId() + " (fetch: " + m.fetchCommand(fetchDir) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing models (looked in " + (modelsDir == null ? ""
                    : modelsDir + " and ") + "the Hugging Face cache " + hubCache + "): " + String.join("; ", missing));
        }
        return new Found(found.get(0), found.get(1), found.get(2));
    }

    private Path find(Model m) {
        if (modelsDir != null) {
            Path p = modelsDir.resolve(m.folder());
            if (Files.isRegularFile(p.resolve("config.json"))) {
                return p;
            }
        }
        Path repo = hubCache.resolve("models--" + m.hubId().replace("/", "--"));
        try {
            Path ref = repo.resolve("refs/main");
            if (Files.isRegularFile(ref)) {
                Path snap = repo.resolve("snapshots").resolve(Files.readString(ref).trim());
                return Files.isRegularFile(snap.resolve("config.json")) ? snap : null;
            }
            if (Files.isDirectory(repo.resolve("snapshots"))) {
                try (Stream<Path> s = Files.list(repo.resolve("snapshots"))) {
                    return s.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted().findFirst()
                            .orElse(null);
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }
}
