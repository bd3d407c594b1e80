package jsora.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jsora.weights.CheckpointException;
import jsora.weights.HubCache;

/**
 * The three checkpoints {@code generate} needs and where it looks for them: {@code --models DIR/<folder>} (a folder
 * as downloaded, with config.json), else the Hugging Face cache ({@link HubCache}: {@code $HF_HUB_CACHE},
 * {@code $HF_HOME/hub} or {@code ~/.cache/huggingface/hub}, snapshot of {@code refs/main}). When any is missing, the error names each with its
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
    private final HubCache hub;

    RequiredModels(Path modelsDir, Map<String, String> env, Path home) {
        this.modelsDir = modelsDir;
        this.hub = new HubCache(env, home);
    }

    /** The folders, or an exception whose message lists every missing checkpoint and how to fetch it. */
    Found locate() {
        if (modelsDir != null && Files.exists(modelsDir) && !Files.isDirectory(modelsDir)) {
            throw new IllegalArgumentException("--models " + modelsDir + " is a file; name the folder that holds "
                    + "the model folders (" + String.join(", ", ALL.stream().map(Model::folder).toList()) + ")");
        }
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
                    : modelsDir + " and ") + "the Hugging Face cache " + hub.root() + "): " + String.join("; ", missing));
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
        try {
            Path snap = hub.snapshot(m.hubId());
            return Files.isRegularFile(snap.resolve("config.json")) ? snap : null;
        } catch (CheckpointException e) {
            return null;
        }
    }
}
