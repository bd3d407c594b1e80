package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.models.pipeline.FakeCheckpoints;
import jsora.models.t5.T5Config;
import jsora.nn.Activation;
import jsora.weights.Temporaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals at random moments to a running {@code jsora demo}, {@code convert} or {@code serve}, started as
 * {@code java -jar} is (without the vector module, so it relaunches its JVM): to the launcher or to the relaunched JVM, SIGTERM, SIGINT or SIGHUP, and
 * SIGKILL to the launcher. Afterwards no {@code .part} file or partial folder remains, no process of the run is
 * alive, and the output of an earlier run of that name is intact (or replaced in whole by this run's).
 */
class InterruptTest {
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static final int STEPS = 6;

    @TempDir
    Path dir;

    /** {@code jsora args} as {@code java -jar} starts it, output to {@code log}. */
    private static Process start(Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Process start(Path out, Path log, int seed, int steps) throws IOException {
        return start(log, "demo", "--seed", "" + seed, "--steps", "" + steps, "--threads", "1", "--out",
                out.toString());
    }

    /** Milliseconds the last {@link #complete} run took. */
    private long runMillis;

    /** What a complete run leaves in a folder of its own. */
    private TreeMap<String, byte[]> complete(String name, int seed, int steps) throws Exception {
        Path work = Files.createDirectory(dir.resolve(name + "." + seed + "." + steps));
        Path log = dir.resolve(name + ".log");
        long t0 = System.nanoTime();
        assertEquals(0, start(work.resolve(name), log, seed, steps).waitFor(), Files.readString(log));
        runMillis = (System.nanoTime() - t0) / 1_000_000;
        return contents(work);
    }

    /** Every file under {@code root} (relative name → bytes), hidden ones included. */
    private static TreeMap<String, byte[]> contents(Path root) throws IOException {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static boolean same(TreeMap<String, byte[]> a, TreeMap<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(),
                b.get(e.getKey())));
    }

    @Test
    void aSignalAtAnyMomentLeavesTheEarlierOutputAndNoTemporaryOrProcess() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (String name : new String[] {"v.gif", "v.mp4", "frames"}) {
            TreeMap<String, byte[]> earlier = complete(name, 1, STEPS);
            TreeMap<String, byte[]> replaced = complete(name, 2, STEPS);
            Path work = dir.resolve(name + ".1." + STEPS);
            for (int round = 0; round < 3; round++) {
                String signal = SIGNALS[rnd.nextInt(SIGNALS.length)];
                boolean toChild = round == 2 ? rnd.nextBoolean() : round == 1;
                long delay = 200 + rnd.nextInt((int) Math.max(1, runMillis - 200));
                String what = name + " round " + round + ": " + signal + " to the "
                        + (toChild ? "relaunched JVM" : "launcher") + " after " + delay + " ms (seed " + seed + ")";
                signalAndAwait(start(work.resolve(name), dir.resolve("log"), 2, STEPS), signal, toChild, delay, what,
                        dir.resolve("log"));
                TreeMap<String, byte[]> now = contents(work);
                assertTrue(same(earlier, now) || same(replaced, now), what + ": left " + now.keySet());
                if (same(replaced, now)) {
                    earlier = replaced;
                }
            }
        }
    }

    @Test
    void theRelaunchedJvmStopsWhenItsLauncherIsKilled() throws Exception {
        Path out = dir.resolve("v.gif");
        Process p = start(out, dir.resolve("log"), 1, 200);
        List<ProcessHandle> family = waitAndWatch(p, 1500);
        assertFalse(family.isEmpty(), "no relaunched JVM");
        p.destroyForcibly().waitFor();
        for (ProcessHandle h : family) {
            assertTrue(h.onExit().handle((x, e) -> true).get(10, TimeUnit.SECONDS) && !h.isAlive(),
                    "process " + h.pid() + " runs on as an orphan");
        }
        assertEquals(List.of(), contents(dir).keySet().stream().filter(k -> !k.equals("log"))
                .collect(Collectors.toList()));
    }

    @Test
    void aSignalDuringConvertLeavesTheOutputFolderEmpty() throws Exception {
        Path src = fakeT5();
        Path work = Files.createDirectory(dir.resolve("convert"));
        Path out = Files.createDirectory(work.resolve("int8"));
        String[] args = {"convert", src.toString(), out.toString(), "--dtype", "int8", "--max-shard", "1000000"};
        long t0 = System.nanoTime();
        Path log = dir.resolve("convert.log");
        assertEquals(0, start(log, args).waitFor(), Files.readString(log));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        TreeMap<String, byte[]> complete = contents(work);
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 3; round++) {
            Temporaries.delete(out);
            Files.createDirectory(out);
            String signal = SIGNALS[rnd.nextInt(SIGNALS.length)];
            boolean toChild = round == 1;
            long delay = 200 + rnd.nextInt((int) Math.max(1, millis - 200));
            String what = "convert round " + round + ": " + signal + " to the " + (toChild ? "relaunched JVM"
                    : "launcher") + " after " + delay + " ms (seed " + seed + ")";
            signalAndAwait(start(log, args), signal, toChild, delay, what, log);
            TreeMap<String, byte[]> now = contents(work);
            assertTrue(now.isEmpty() && Files.isDirectory(out) || same(complete, now), what + ": left " + now.keySet());
        }
    }

    @Test
    void aSignalDuringConvertToAFileLeavesTheEarlierFileAndNoTemporary() throws Exception {
        Path src = fakeT5();
        Path work = Files.createDirectory(dir.resolve("convert-file"));
        Path out = work.resolve("t5.safetensors");
        Path log = dir.resolve("convert-file.log");
        String[] toF16 = {"convert", src.toString(), out.toString(), "--dtype", "f16"};
        String[] toBf16 = {"convert", src.toString(), out.toString(), "--dtype", "bf16"};
        assertEquals(0, start(log, toF16).waitFor(), Files.readString(log));
        TreeMap<String, byte[]> earlier = contents(work);
        long t0 = System.nanoTime();
        assertEquals(0, start(log, toBf16).waitFor(), Files.readString(log));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        TreeMap<String, byte[]> replaced = contents(work);
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 3; round++) {
            String signal = SIGNALS[rnd.nextInt(SIGNALS.length)];
            boolean toChild = round == 1;
            long delay = 200 + rnd.nextInt((int) Math.max(1, millis - 200));
            String what = "convert to a file, round " + round + ": " + signal + " to the " + (toChild
                    ? "relaunched JVM" : "launcher") + " after " + delay + " ms (seed " + seed + ")";
            // each round converts to the other type, so a finished round is told from an intact earlier file
            signalAndAwait(start(log, round % 2 == 0 ? toBf16 : toF16), signal, toChild, delay, what, log);
            TreeMap<String, byte[]> now = contents(work);
            assertTrue(same(earlier, now) || same(replaced, now), what + ": left " + now.keySet());
        }
    }

    /**
     * A signal to {@code jsora serve} while it generates (to the launcher or the relaunched JVM): the server and its
     * worker end, and the video it was writing leaves no file behind.
     */
    @Test
    void aSignalDuringServeStopsItAndLeavesNoPartialVideo() throws Exception {
        Random rnd = new Random(System.nanoTime());
        for (int round = 0; round < 2; round++) {
            Path videos = Files.createDirectory(dir.resolve("videos" + round));
            Path log = dir.resolve("serve" + round + ".log");
            Process p = start(log, "serve", "--port", "0", "--models", "demo", "--out-dir", videos.toString());
            String url = null;
            for (int i = 0; i < 600 && url == null; i++) {
                Thread.sleep(50);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://\\S+/)").matcher(
                        Files.readString(log));
                url = m.find() ? m.group(1) : null;
            }
            assertTrue(url != null, "serve printed no address: " + Files.readString(log));
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/jobs"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("prompt=a+cat&steps=5000")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // signal once the job is sampling, so that its video is being made
            for (int i = 0; i < 600; i++) {
                String job = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/jobs/1"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (job.contains("\"stage\":\"denoise\"")) {
                    break;
                }
                Thread.sleep(50);
            }
            String signal = SIGNALS[rnd.nextInt(SIGNALS.length)];
            String what = "serve round " + round + ": " + signal + " to the " + (round == 1 ? "relaunched JVM"
                    : "launcher");
            signalAndAwait(p, signal, round == 1, 100 + rnd.nextInt(500), what, log);
            assertEquals(List.of(), contents(videos).keySet().stream().collect(Collectors.toList()), what);
        }
    }

    /** A small random T5 checkpoint to convert (a few seconds of work, so signals land inside it). */
    private Path fakeT5() {
        Path src = dir.resolve("t5");
        new FakeCheckpoints(5, (f, b) -> { }).writeT5(src,
                new T5Config(2000, 256, 32, 8, 683, 6, 32, 128, 1e-6f, Activation.GELU_TANH), Long.MAX_VALUE, false);
        return src;
    }

    /**
     * Sends {@code signal} to {@code p} (or its relaunched JVM) after {@code delay} ms; checks that all ended, with an
     * exit status of 0 (it finished first) or a signal's; a failure quotes the run's {@code log}.
     */
    private static void signalAndAwait(Process p, String signal, boolean toChild, long delay, String what, Path log)
            throws Exception {
        List<ProcessHandle> family = waitAndWatch(p, delay);
        Optional<ProcessHandle> child = p.toHandle().children().findFirst();
        long pid = toChild && child.isPresent() ? child.get().pid() : p.pid();
        new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), what + ": the launcher did not end");
        for (ProcessHandle h : family) {
            assertFalse(h.isAlive(), what + ": process " + h.pid() + " outlives the launcher");
        }
        assertTrue(p.exitValue() == 0 || p.exitValue() >= 128, what + ": exit status " + p.exitValue() + ", output:\n"
                + Files.readString(log));
    }

    /** The processes {@code p} started, collected while waiting {@code millis}. */
    private static List<ProcessHandle> waitAndWatch(Process p, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        List<ProcessHandle> family = new ArrayList<>();
        while (System.nanoTime() < until) {
            p.toHandle().descendants().filter(h -> !family.contains(h)).forEach(family::add);
            Thread.sleep(20);
        }
        return family;
    }
}
