package jsora.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.tensor.Int8;
import jsora.weights.AtomicFile;
import jsora.weights.AtomicFolder;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.MemoryBudget;
import jsora.weights.ModelLocator;
import jsora.weights.OutputType;
import jsora.weights.Overflows;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.ShardedSafeTensorsWriter;
import jsora.weights.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsora convert <in> <out> [--dtype bf16|f16|f32|int8]}: block-ordered safetensors (each block's tensors
 * contiguous, blocks in execution order) so that streaming reads the file front to back; the Java counterpart of
 * On-device Sora's conversion step. fp32 → bf16/fp16 rounds to nearest even; int8 quantizes the Linear weights
 * ({@link jsora.weights.Int8Weights}). {@code <out>} is one {@code .safetensors} file, or a model folder: shards of
 * at most {@code --max-shard} bytes with an index, and the input folder's other files (config.json, tokenizer) copied.
 * Tensors are read, converted and written one at a time. Finite values that became ±inf in bf16/fp16 are warned about
 * on stderr ({@link OverflowWarnings}); the conversion still succeeds.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, description = {"Write a checkpoint as block-ordered safetensors (one file, or a model folder"
        + " with shards and an index), optionally in another type.",
        "--dtype int8 quantizes only the Linear (matmul) weights: 2-D *.weight tensors that are not embedding tables,"
                + " symmetric, one float32 scale per block of at most 64 elements of a row (--int8-block); embeddings,"
                + " norms, biases and conv kernels keep their type."})
final class ConvertCommand implements Callable<Integer> {
    /** Output types. */
    enum Precision {
        bf16, f16, f32, int8
    }

    /** Checkpoint files (and indexes) that are not copied into the output folder. */
    private static final List<String> WEIGHT_SUFFIXES = List.of(".safetensors", ".bin", ".pt", ".pth", ".ckpt",
            ".h5", ".msgpack", ".onnx", ".gguf", ".index.json");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<in>", description = "checkpoint file, folder or hub id")
    String in;

    @Parameters(index = "1", paramLabel = "<out>",
            description = "the .safetensors file to write, or a new (or empty) model folder")
    Path out;

    @Option(names = "--dtype", paramLabel = "bf16|f16|f32|int8",
            description = "type of the output's float tensors (default: keep each tensor's own, F64 becoming F32: the"
                    + " engine computes in float32); int8: Linear weights only")
    Precision dtype;

    @Option(names = "--int8-block", paramLabel = "N|row", defaultValue = "" + Int8.BLOCK,
            description = "with --dtype int8: elements per scale along a row, or 'row' for one scale per row"
                    + " (default: ${DEFAULT-VALUE})")
    String int8Block;

    @Option(names = "--max-shard", paramLabel = "BYTES", defaultValue = "5000000000",
            description = "folder output: most bytes per shard (default: ${DEFAULT-VALUE})")
    long maxShard;

    @Override
    public Integer call() {
        OutputType type = outputType();
        boolean folder = !out.getFileName().toString().endsWith(".safetensors");
        if (!folder && Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is a folder; name the .safetensors file to write");
        }
        if (maxShard < 1) {
            throw new IllegalArgumentException("--max-shard " + maxShard + " must be positive");
        }
        if (folder) {
            checkEmptyFolder(out);
        }
        ModelLocator.Location at = ModelLocator.locate(in);
        PrintWriter w = spec.commandLine().getOut();
        Overflows overflows = new Overflows();
        try (Checkpoint c = Checkpoints.open(at.checkpoint())) {
            if (!folder && Files.exists(out) && Files.isSameFile(c.path(), out)) {
                throw new IllegalArgumentException(out + " is the input file; write the conversion to another file");
            }
            List<String> order = BlockOrder.order(c.keys());
            Map<String, String> metadata = new LinkedHashMap<>(c.metadata());
            metadata.putIfAbsent("format", "pt");
            if (folder) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                List<Path> files = new ArrayList<>();
                List<String> copied = new ArrayList<>();
                long[] bytes = new long[1];
                AtomicFolder.write(out, dir -> {
                    files.addAll(ShardedSafeTensorsWriter.write(dir, c, order, type, metadata, maxShard, (f, n) -> {
                        w.printf("writing %s (%s)%n", f.getFileName(), MemoryBudget.format(n));
                        w.flush();
                    }, overflows));
                    bytes[0] = total(files);
                    copied.addAll(copyModelFiles(at, dir));
                });
                w.printf("wrote %s: %d weight file(s)%s, %s, block order%s%n", out, files.size(),
                        files.size() > 1 ? " and " + ShardedSafeTensorsWriter.INDEX : "",
                        MemoryBudget.format(bytes[0]), dtype == null ? "" : ", " + type);
                if (!copied.isEmpty()) {
                    w.printf("copied %s%n", String.join(", ", copied));
                }
            } else {
                SafeTensorsWriter.write(out, c, order, type, metadata, overflows);
                w.printf("wrote %s (%s, block order%s)%n", out, MemoryBudget.format(sizeOf(out)),
                        dtype == null ? "" : ", " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.flush();
        PrintWriter err = spec.commandLine().getErr();
        OverflowWarnings.lines(overflows).forEach(err::println);
        err.flush();
        return 0;
    }

    private OutputType outputType() {
        if (dtype != Precision.int8 && spec.commandLine().getParseResult().hasMatchedOption("--int8-block")) {
            throw new IllegalArgumentException("--int8-block applies to --dtype int8 only");
        }
        if (dtype == null) {
            return OutputType.keep();
        }
        switch (dtype) {
            case int8:
                return OutputType.int8(Int8.parseBlock("--int8-block", int8Block));
            case bf16:
                return OutputType.floats(StorageType.BF16);
            case f16:
                return OutputType.floats(StorageType.F16);
            default:
                return OutputType.floats(StorageType.F32);
        }
    }

    private static void checkEmptyFolder(Path dir) {
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException(dir + " is a file; name a new or empty folder, or a .safetensors file");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty; name a new or empty folder");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Copies the files of the input's model folder that are not weights (config.json, tokenizer files, ...); for a
     * single file given by path, only the config.json beside it.
     */
    private List<String> copyModelFiles(ModelLocator.Location at, Path dir) throws IOException {
        List<Path> sources = new ArrayList<>();
        if (Files.isRegularFile(Paths.get(in))) {
            if (at.config() != null) {
                sources.add(at.config());
            }
        } else {
            try (Stream<Path> s = Files.list(at.checkpoint().toAbsolutePath().getParent())) {
                sources = s.filter(Files::isRegularFile).filter(ConvertCommand::isModelFile).sorted()
                        .collect(Collectors.toList());
            }
        }
        List<String> names = new ArrayList<>();
        for (Path src : sources) {
            Path target = dir.resolve(src.getFileName().toString());
            AtomicFile.write(target, ch -> {
                try (FileChannel from = FileChannel.open(src, StandardOpenOption.READ)) {
                    long size = from.size();
                    for (long done = 0; done < size; ) {
                        done += ch.transferFrom(from, done, size - done);
                    }
                }
            });
            names.add(src.getFileName().toString());
        }
        return names;
    }

    private static boolean isModelFile(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && WEIGHT_SUFFIXES.stream().noneMatch(name::endsWith);
    }

    private static long total(List<Path> files) {
        long b = 0;
        for (Path f : files) {
            b += sizeOf(f);
        }
        return b;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
