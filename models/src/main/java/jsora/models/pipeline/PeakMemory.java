package jsora.models.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, from {@code VmHWM} in /proc/self/status (Linux and Android). */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Bytes, or -1 where it cannot be read. */
    public static long bytes() {
        return parse(read());
    }

    private static String read() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The VmHWM line ("VmHWM:    123456 kB") of a status file, in bytes; -1 if absent. */
    static long parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * 1024;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
