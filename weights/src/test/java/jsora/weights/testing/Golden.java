package jsora.weights.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.tensor.DType;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.OutputType;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.StorageType;
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

    /**
     * Every golden weight file: {@code model*.safetensors} and {@code pytorch_model.bin} in the case folders, sorted;
     * skips the test if there is none.
     */
    public static List<Path> weightFiles() {
        Path r = requireRoot();
        try (Stream<Path> s = Files.walk(r, 2)) {
            List<Path> found = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return (n.startsWith("model") && n.endsWith(".safetensors")) || n.equals("pytorch_model.bin");
            }).sorted().collect(Collectors.toList());
            Assumptions.assumeFalse(found.isEmpty(), "no golden weight files under " + r);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fp32 file a bf16/fp16 golden weight file was rounded from, by the READMEs' conventions:
     * {@code model.safetensors} beside a {@code model_<dtype>.safetensors}, or, for a case folder named
     * {@code <case>-bf16} / {@code <case>-fp16}, the {@code model.safetensors} of folder {@code <case>}.
     */
    public static Path fp32Reference(Path halfFile) {
        if (!halfFile.getFileName().toString().equals("model.safetensors")) {
            return halfFile.resolveSibling("model.safetensors");
        }
        String folder = halfFile.getParent().getFileName().toString();
        for (String s : List.of("-bf16", "-fp16")) {
            if (folder.endsWith(s)) {
                return halfFile.getParent().resolveSibling(folder.substring(0, folder.length() - s.length()))
                        .resolve("model.safetensors");
            }
        }
        return halfFile.resolveSibling("(no fp32 reference for " + folder + ")");
    }

    /** BF16 or F16 if every float tensor of a weight file has that type, else null. */
    public static DType halfType(Path weightFile) {
        try (Checkpoint c = Checkpoints.open(weightFile)) {
            Set<StorageType> types = c.keys().stream().map(k -> c.info(k).type()).filter(StorageType::isFloat)
                    .collect(Collectors.toSet());
            if (types.size() == 1 && types.iterator().next().bytes() == 2) {
                return types.iterator().next().memoryType();
            }
            return null;
        }
    }

    /**
     * A model folder in {@code out} holding the case's {@code model.safetensors} converted as
     * {@code jsora convert --dtype int8 --int8-block <block>} writes it (block order), and its config.json.
     */
    public static Path int8Copy(Path caseDir, Path out, int block) {
        try {
            Files.createDirectories(out);
            try (Checkpoint fp32 = Checkpoints.open(caseDir.resolve("model.safetensors"))) {
                SafeTensorsWriter.write(out.resolve("model.safetensors"), fp32, BlockOrder.order(fp32.keys()),
                        OutputType.int8(block), fp32.metadata());
            }
            Files.copy(caseDir.resolve("config.json"), out.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
            return out;
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
