package jsora.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.MemoryBudget;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsora convert <in> <out> [--dtype bf16|f16|f32]}: one block-ordered safetensors file (each block's tensors
 * contiguous, blocks in execution order) so that streaming reads the file front to back; the Java counterpart of
 * On-device Sora's conversion step. fp32 → bf16/fp16 rounds to nearest even.
 */
@Command(name = "convert", description = "Write a checkpoint as one block-ordered safetensors file, optionally in"
        + " another float type.")
final class ConvertCommand implements Callable<Integer> {
    /** Output float types. */
    enum Precision {
        bf16(StorageType.BF16), f16(StorageType.F16), f32(StorageType.F32);

        final StorageType type;

        Precision(StorageType type) {
            this.type = type;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<in>", description = "checkpoint file, folder or hub id")
    String in;

    @Parameters(index = "1", paramLabel = "<out>", description = "the .safetensors file to write")
    Path out;

    @Option(names = "--dtype", paramLabel = "bf16|f16|f32",
            description = "float type of the output (default: keep each tensor's own)")
    Precision dtype;

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is a folder; name the .safetensors file to write");
        }
        try (Checkpoint c = Checkpoints.open(in)) {
            if (Files.exists(out) && Files.isSameFile(c.path(), out)) {
                throw new IllegalArgumentException(out + " is the input file; write the conversion to another file");
            }
            List<String> order = BlockOrder.order(c.keys());
            Map<String, String> metadata = new LinkedHashMap<>(c.metadata());
            metadata.putIfAbsent("format", "pt");
            SafeTensorsWriter.write(out, c, order, dtype == null ? null : dtype.type, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s (%s, block order%s)%n", out, MemoryBudget.format(sizeOf(out)),
                dtype == null ? "" : ", " + dtype);
        w.flush();
        return 0;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
