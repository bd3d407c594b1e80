package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An argument the locale's encoding cannot carry (LC_ALL=C and "café 🐼") is reported, not silently altered. */
class ArgumentEncodingTest {
    @TempDir
    Path dir;

    @Test
    void findsTheArgumentTheCharsetCannotDecode() {
        List<byte[]> raw = ArgumentEncoding.split("java\0-jar\0generate\0caf\u00e9\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(4, raw.size());
        String[] args = {"generate", "caf??"};
        assertEquals("caf\u00e9", ArgumentEncoding.lost(raw, args, StandardCharsets.US_ASCII));
        assertNull(ArgumentEncoding.lost(raw, args, StandardCharsets.UTF_8));
        List<byte[]> jvmOption = ArgumentEncoding.split("java\0-Dx=caf\u00e9\0generate\0".getBytes(StandardCharsets.UTF_8));
        assertNull(ArgumentEncoding.lost(jvmOption, new String[] {"generate"}, StandardCharsets.US_ASCII),
                "only jsora's own arguments count");
    }

    @Test
    void underTheCLocaleANonAsciiPromptIsRefused() throws Exception {
        Assumptions.assumeTrue(StandardCharsets.UTF_8.name().equals(System.getProperty("sun.jnu.encoding"))
                && Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux and a UTF-8 test JVM");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path log = dir.resolve("log");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "generate", "caf\u00e9 \uD83D\uDC3C", "--models", "demo", "--out",
                dir.resolve("v.gif").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        assertEquals(2, pb.start().waitFor(), Files.readString(log));
        String err = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(err.startsWith("jsora: the argument '") && err.contains("LANG=C.UTF-8"), err);
        assertTrue(!Files.exists(dir.resolve("v.gif")));
    }
}
