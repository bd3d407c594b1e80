package jsora.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jsora.models.pipeline.FakeCheckpoints;
import jsora.models.stdit.STDiT3Config;
import jsora.models.t5.T5Config;
import jsora.models.vae.VaeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsora fake-checkpoints DIR}: the three released models with random weights, in their real layouts, under
 * the folder names {@code generate --models DIR} looks for.
 */
@Command(name = "fake-checkpoints", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write random-weight checkpoints with the key names, shapes, dtypes and file formats of the "
                + "released T5 v1.1 XXL, STDiT3-XL/2 and VAE v1.2 (plus config.json), for full-size runs without a "
                + "download.", "Disk: T5 19.05 GB, STDiT3 4.84 GB, VAE 1.57 GB (fp32, computed from the shapes)."})
public class FakeCheckpointsCommand implements Callable<Integer> {
    /** Which model to write. */
    enum Only { t5, stdit, vae }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Folder to write t5-v1_1-xxl/, OpenSora-STDiT-v3/, OpenSora-VAE-v1.2/ into.")
    Path dir;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--only", paramLabel = "MODEL", description = "Write one model only: ${COMPLETION-CANDIDATES}.")
    Only only;

    @Option(names = "--zip64", description = "Write zip64 records in every T5 shard (default: where needed).")
    boolean zip64;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Path> folders = Map.of("t5", dir.resolve(RequiredModels.ALL.get(0).folder()),
                "stdit", dir.resolve(RequiredModels.ALL.get(1).folder()),
                "vae", dir.resolve(RequiredModels.ALL.get(2).folder()));
        T5Config t5 = T5Config.xxl();
        STDiT3Config stdit = STDiT3Config.xl2();
        VaeConfig vae = VaeConfig.openSoraV12();
        long need = 0;
        need += wants(Only.t5) ? FakeCheckpoints.bytes(FakeCheckpoints.t5Shapes(t5)) : 0;
        need += wants(Only.stdit) ? FakeCheckpoints.bytes(stdit.parameterShapes()) : 0;
        need += wants(Only.vae) ? FakeCheckpoints.bytes(FakeCheckpoints.vaeShapes(vae)) : 0;
        checkSpace(need);
        long start = System.nanoTime();
        FakeCheckpoints fake = new FakeCheckpoints(seed, (file, bytes) -> {
            out.printf(Locale.ROOT, "writing %s (%s)%n", file, gb(bytes));
            out.flush();
        });
        if (wants(Only.t5)) {
            fake.writeT5(folders.get("t5"), t5, FakeCheckpoints.HF_MAX_SHARD_BYTES, zip64);
        }
        if (wants(Only.stdit)) {
            fake.writeStdit(folders.get("stdit"), stdit);
        }
        if (wants(Only.vae)) {
            fake.writeVae(folders.get("vae"), vae);
        }
        out.printf(Locale.ROOT, "wrote %s in %.0f s into %s%n", gb(need), (System.nanoTime() - start) / 1e9, dir);
        return 0;
    }

    private boolean wants(Only model) {
        return only == null || only == model;
    }

    /** Refuses before writing anything (no folder made) when the disk cannot hold the files. */
    private void checkSpace(long need) throws IOException {
        Path existing = GenerateCommand.nearestExisting(dir.toAbsolutePath());
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(existing + " is a file; name a folder for the model folders");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(existing + ": folder is not writable");
        }
        long free = Files.getFileStore(existing).getUsableSpace();
        if (free < need) {
            throw new IllegalArgumentException(dir + ": needs " + gb(need) + ", only " + gb(free) + " free");
        }
        Files.createDirectories(dir);
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
