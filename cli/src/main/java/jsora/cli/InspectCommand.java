package jsora.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.MemoryBudget;
import jsora.weights.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsora inspect <checkpoint>}: lists the tensors of a checkpoint (the way to check a download). */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "List a checkpoint's tensors (name, dtype, shape, bytes) and totals.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<checkpoint>",
            description = "a .safetensors / .bin / .pt / .pth file, a *.index.json, a model folder, or a hub id (org/name)"
                    + " in the Hugging Face cache")
    String checkpoint;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Checkpoint c = Checkpoints.open(checkpoint)) {
            int width = Math.max(1, c.keys().stream().mapToInt(String::length).max().orElse(1)); // "%-0s" is no format
            Map<String, long[]> byType = new TreeMap<>();
            long total = 0;
            out.printf("%s (%s)%n", c.path(), c.format());
            for (String k : c.keys()) {
                TensorInfo t = c.info(k);
                long bytes = t.storedBytes();
                out.printf("  %-" + width + "s  %-4s  %-20s %,15d%n", k, t.dtype, Arrays.toString(t.shape), bytes);
                long[] sum = byType.computeIfAbsent(t.dtype, d -> new long[2]);
                sum[0]++;
                sum[1] += bytes;
                total += bytes;
            }
            StringBuilder types = new StringBuilder();
            byType.forEach((d, s) -> types.append(types.length() == 0 ? "" : ", ").append(d).append(": ").append(s[0])
                    .append(" tensors, ").append(String.format("%,d", s[1])).append(" bytes"));
            out.printf("total: %d tensors, %,d bytes (%s)%s%n", c.keys().size(), total, MemoryBudget.format(total),
                    types.length() == 0 ? "" : "; " + types);
            if (!c.metadata().isEmpty()) {
                out.println("metadata: " + String.join(", ", c.metadata().keySet()));
            }
        }
        out.flush();
        return 0;
    }
}
