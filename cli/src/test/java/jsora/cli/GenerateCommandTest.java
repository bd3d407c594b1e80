package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jsora.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jsora generate} end to end through the command line on the built-in demo model ({@code --models demo}):
 * output files decode back, the same seed gives the same bytes at 1 and 2 threads, and bad arguments end in one
 * line and a non-zero exit.
 */
class GenerateCommandTest {
    @TempDir
    Path dir;

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            List<String> l = new ArrayList<>();
            for (String s : err.split("\n")) {
                if (!s.isBlank()) {
                    l.add(s);
                }
            }
            return l;
        }
    }

    static Run run(GenerateCommand.ModelSourceFactory models, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine.IFactory factory = new CommandLine.IFactory() {
                @Override
                @SuppressWarnings("unchecked")
                public <K> K create(Class<K> cls) throws Exception {
                    return cls == GenerateCommand.class ? (K) new GenerateCommand(models) : CommandLine.defaultFactory().create(cls);
                }
            };
            int code = JsoraCommand.commandLine(factory).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** generate with the built-in demo model (real T5/STDiT3/VAE code, tiny random weights). */
    static Run demo(String... args) {
        String[] a = java.util.Arrays.copyOf(args, args.length + 2);
        a[args.length] = "--models";
        a[args.length + 1] = DemoCommand.MODELS;
        return run(GenerateCommand::checkpoints, a);
    }

    /**
     * A small generate command line (48x32, 17 frames, 3 steps); {@code more} adds or replaces options (the default
     * size stays out when {@code more} sets the size another way).
     */
    String[] small(String out, String... more) {
        List<String> a = new ArrayList<>(List.of("generate", "a red panda", "--out", dir.resolve(out).toString()));
        a.addAll(List.of(more));
        String[][] defaults = {{"--size", "48x32"}, {"--frames", "17"}, {"--steps", "3"}};
        for (String[] d : defaults) {
            boolean sized = a.contains("--resolution") || a.contains("--image-size") || a.contains("--preset");
            if (!a.contains(d[0]) && !(sized && d[0].equals("--size"))) {
                a.addAll(List.of(d));
            }
        }
        return a.toArray(new String[0]);
    }

    @Test
    void writesAnMp4ThatDecodesBack() throws IOException {
        Run r = demo(small("v.mp4"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("step 3/3"), r.err());
        jsora.cli.video.Mp4Check.assertPlayable(dir.resolve("v.mp4"), 32, 48, 17);
    }

    @Test
    void writesAGifThatDecodesBack() throws IOException {
        Run r = demo(small("v.gif"));
        assertEquals(0, r.code(), r.err());
        jsora.cli.video.Mp4Check.assertGif(dir.resolve("v.gif"), 32, 48, 17);
    }

    @Test
    void demoCommandWritesAShortGif() throws IOException {
        Run r = run(GenerateCommand::checkpoints, "demo", "--steps", "2", "--out", dir.resolve("demo.gif").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("step 2/2"), r.err());
        jsora.cli.video.Mp4Check.assertGif(dir.resolve("demo.gif"), DemoCommand.SIZE.height(), DemoCommand.SIZE.width(),
                DemoCommand.SIZE.frames());
    }

    @Test
    void sameSeedSameBytesAtOneAndTwoThreads() throws IOException {
        for (String ext : new String[] {"mp4", "gif"}) {
            assertEquals(0, demo(small("t1." + ext, "--threads", "1", "--seed", "7")).code());
            assertEquals(0, demo(small("t2." + ext, "--threads", "2", "--seed", "7")).code());
            assertArrayEquals(Files.readAllBytes(dir.resolve("t1." + ext)), Files.readAllBytes(dir.resolve("t2." + ext)),
                    ext);
        }
        assertEquals(0, demo(small("s8.mp4", "--seed", "8")).code());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("t1.mp4")),
                Files.readAllBytes(dir.resolve("s8.mp4"))), "another seed, another video");
    }

    @Test
    void jsonReportHasTheLeapStepAndTimes() {
        Run r = demo(small("j.mp4", "--json", "--lpl", "--lpl-min-steps", "1", "--lpl-patience", "1", "--steps", "8"));
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(8, o.get("steps").getAsInt());
        assertTrue(o.get("discrete_timesteps").getAsBoolean(), "--lpl defaults to On-device Sora's discrete timesteps");
        int calls = o.get("model_calls").getAsInt();
        assertEquals(calls - 1, o.get("leap_step").getAsInt());
        assertTrue(calls < 8, "leapt before the end: " + calls);
        assertTrue(o.getAsJsonObject("seconds").has("denoise"));
    }

    @Test
    void aTruncatedPromptIsReported() {
        String[] args = small("long.gif", "--json", "--steps", "1", "--frames", "1");
        args[1] = "a red panda ".repeat(100);
        Run r = demo(args);
        assertEquals(0, r.code(), r.err());
        String note = JsonParser.parseString(r.out()).getAsJsonObject().get("text_note").getAsString();
        assertTrue(note.contains("reads only the first"), note);
        Run shortPrompt = demo(small("short.gif", "--json", "--steps", "1", "--frames", "1"));
        JsonObject o = JsonParser.parseString(shortPrompt.out()).getAsJsonObject();
        assertTrue(!o.has("text_note") || o.get("text_note").isJsonNull(), "no note for a short prompt");
    }

    @Test
    void promptIsPreparedLikeOpenSoraUnlessRaw() {
        Run r = demo(small("p.mp4", "--json", "--flow", "4", "--steps", "1"));
        assertEquals("a red panda aesthetic score: 6.5. motion score: 4.0.",
                JsonParser.parseString(r.out()).getAsJsonObject().get("prompt").getAsString());
        r = demo(small("q.mp4", "--json", "--raw-prompt", "--steps", "1"));
        assertEquals("a red panda", JsonParser.parseString(r.out()).getAsJsonObject().get("prompt").getAsString());
    }

    @Test
    void openSorasInlineJsonIsSplitOffAndItsOptionsRefusedByName() {
        Run r = demo(small("j1.mp4", "--json", "--steps", "1"));
        String plain = JsonParser.parseString(r.out()).getAsJsonObject().get("prompt").getAsString();
        String[] withEmpty = small("j2.mp4", "--json", "--steps", "1");
        withEmpty[1] = "a red panda{ }";
        r = demo(withEmpty);
        assertEquals(plain, JsonParser.parseString(r.out()).getAsJsonObject().get("prompt").getAsString());
        String[] raw = small("j3.mp4", "--json", "--steps", "1", "--raw-prompt");
        raw[1] = "a red panda{ }";
        r = demo(raw);
        assertEquals("a red panda{ }", JsonParser.parseString(r.out()).getAsJsonObject().get("prompt").getAsString());
        String[] image = small("j4.mp4");
        image[1] = "a red panda.{\"reference_path\": \"x.png\"}";
        failInOneLine(Map.of(image, "option reference_path in its JSON: not supported yet"));
        r = run(GenerateCommand::checkpoints, "demo", "--prompt", "a cat {\"fps\": 8}", "--out",
                dir.resolve("j5.gif").toString());
        assertTrue(r.code() != 0 && r.err().startsWith("jsora: the prompt \"a cat {\"fps\": 8}\": option \"fps\" in "
                + "its JSON is not one of Open-Sora's (reference_path, mask_strategy)"), r.err());
        assertFalse(Files.exists(dir.resolve("j4.mp4")) || Files.exists(dir.resolve("j5.gif")));
    }

    /** Each command line fails with one line on stderr holding its text. */
    private static void failInOneLine(Map<String[], String> cases) {
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            Run r = demo(c.getKey());
            assertTrue(r.code() != 0, String.join(" ", c.getKey()));
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("jsora: ") && r.err().contains(c.getValue()), r.err());
        }
    }

    @Test
    void badArgumentsEndInOneLineAndAnErrorCode() {
        Map<String[], String> cases = Map.of(
                new String[] {"generate", "p", "--preset", "nope", "--out", dir.resolve("a.mp4").toString()},
                "unknown preset 'nope'",
                small("b.mp4", "--size", "4x300"), "--size 4x300: width and height at least 8",
                small("c.mp4", "--frames", "9"), "--frames 9: Open-Sora 1.2's timestep transform makes every",
                small("d.mp4", "--frames", "5000"), "frames 5000",
                new String[] {"generate", "p", "--out", dir.resolve("missing/e.mp4").toString()}, "does not exist",
                small("f.avi"), "use a .mp4 or .gif",
                small("b.mp4/h.mp4"), "does not exist",
                small("g.mp4", "--steps", "x"), "--steps",
                new String[] {"generate", "  ", "--out", dir.resolve("i.mp4").toString()}, "the prompt is empty");
        failInOneLine(cases);
    }

    @Test
    void badSizesAndFrameCountsNameTheOptionAndWhatWorks() {
        failInOneLine(Map.of(
                small("s1.mp4", "--size", "4x300"), "nearest that works: 8x300",
                small("s2.mp4", "--size", "250"), "--size 250: expected WIDTHxHEIGHT",
                small("s3.mp4", "--image-size", "240", "5"), "nearest that works: --image-size 240 8",
                small("s4.mp4", "--resolution", "240p"), "--resolution needs --aspect-ratio",
                small("s5.mp4", "--resolution", "256", "--aspect-ratio", "1:1"), "Open-Sora 1.2's 256 has 12:25",
                small("s6.mp4", "--resolution", "240p", "--aspect-ratio", "9:16", "--size", "64x64"), "give one of them",
                small("s7.mp4", "--frames", "32s"), "--frames 32s (816 frames): must be 1, or 17 to 408",
                small("s8.mp4", "--frames", "3s"), "--frames 3s: expected a number or one of 2s, 4s",
                new String[] {"generate", "--out", dir.resolve("s10.mp4").toString()}, "missing PROMPT"));
    }

    /**
     * Open-Sora 1.2's 144p 2:3 is 156x234: latent 19x29, both odd (STDiT3 pads them to whole patches), and the VAE
     * decodes 152x232 as the reference does (8 * (156 // 8), 8 * (234 // 8)).
     */
    @Test
    void oddLatentSizesComeOutAtTheReferencesFrameSize() throws IOException {
        Run r = demo(small("odd.mp4", "--resolution", "144p", "--aspect-ratio", "2:3", "--json"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("note: 234x156 comes out as 232x152"), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(156, o.get("height").getAsInt());
        assertEquals(234, o.get("width").getAsInt());
        assertEquals(232, o.get("video_width").getAsInt());
        jsora.cli.video.Mp4Check.assertPlayable(dir.resolve("odd.mp4"), 152, 232, 17);
        // a width that is no multiple of 8 and odd latent sides (3 x 5) through --size, as a GIF
        assertEquals(0, demo(small("odd.gif", "--size", "44x30")).code());
        jsora.cli.video.Mp4Check.assertGif(dir.resolve("odd.gif"), 24, 40, 17);
    }

    @Test
    void framesTakeOpenSorasNames() {
        Run r = demo(small("f.gif", "--frames", "2s", "--steps", "1", "--size", "16x16", "--json"));
        assertEquals(0, r.code(), r.err());
        assertEquals(51, JsonParser.parseString(r.out()).getAsJsonObject().get("frames").getAsInt());
    }

    @Test
    void listPresetsPrintsTheTableWithLatentsAndActivations() {
        Run r = demo("generate", "--list-presets");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(1 + 2 + 8 * 17 + 4, lines.length);
        assertTrue(lines[0].startsWith("preset") && lines[0].contains("latent TxHxW"), lines[0]);
        String row = java.util.Arrays.stream(lines).filter(l -> l.startsWith("240p-9:16 ")).findFirst().orElseThrow();
        assertTrue(row.matches("240p-9:16\\s+240\\s+426\\s+51\\s+424x240\\s+15x30x53\\s+\\S+ [GMK]B\\s+\\S+ [GMK]B"), row);
    }

    @Test
    void promptsEmptyInEffectAreRefused() {
        for (String p : new String[] {"\u00a0\u200b", "{}", "<p></p>", "   "}) {
            Run r = demo("generate", p, "--out", dir.resolve("e.mp4").toString());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("jsora: the prompt is empty"), r.err());
        }
        Run r = run(GenerateCommand::checkpoints, "demo", "--prompt", "", "--out", dir.resolve("e.gif").toString());
        assertTrue(r.code() != 0 && r.err().startsWith("jsora: the prompt is empty"), r.err());
        assertFalse(Files.exists(dir.resolve("e.gif")));
    }

    @Test
    void badNumbersAndMemoryBudgetsEndInOneLineNamingTheOption() {
        Map<String[], String> cases = Map.of(
                small("n1.mp4", "--aes", "NaN"), "--aes NaN: must be a finite number",
                small("n2.mp4", "--flow", "-Infinity"), "--flow -Infinity: must be a finite number",
                small("n3.mp4", "--threads", "100000"), "--threads 100000: must be 1 to",
                small("n4.mp4", "--threads", "0"), "--threads 0: must be 1 to",
                small("n5.mp4", "--fps", "4294968"), "--fps 4294968: must be 1 to 100",
                small("m1.mp4", "--memory", "100M"), "--memory 100.0 MB leaves no heap",
                small("m2.mp4", "--memory", "lots"), "--memory: 'lots' is not a size",
                small("m3.mp4", "--weight-budget", "-1G"), "--weight-budget: '-1G' must be a positive size",
                small("m4.mp4", "--memory", "1000T"), "--memory 1000T: more than this machine's memory",
                small("m5.mp4", "--memory", "99999999999999999999"), "is too large");
        failInOneLine(cases);
        failInOneLine(Map.of(small("n6.gif", "--fps", "60"), "--fps 60: a GIF plays at most 50 frames per second"));
    }

    @Test
    void theReportGivesTheBudgetAndEachStagesPeaksAndSteps() {
        Run r = demo(small("r.mp4", "--json", "--memory", "6G", "--tdtm", "1"));
        assertEquals(0, r.code(), r.err());
        var o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(6L << 30, o.get("memory_budget_bytes").getAsLong());
        for (String stage : List.of("text", "denoise", "decode")) {
            assertTrue(o.getAsJsonObject("peak_heap_bytes_by_stage").get(stage).getAsLong() > 0, stage);
            assertTrue(o.getAsJsonObject("cpu_seconds").has(stage), stage);
        }
        var steps = o.getAsJsonArray("steps_log");
        assertEquals(3, steps.size());
        assertTrue(steps.get(0).getAsJsonObject().get("tdtm").getAsBoolean());
        assertFalse(steps.get(1).getAsJsonObject().get("tdtm").getAsBoolean());
    }

    @Test
    void unwritableFolderIsRefusedBeforeAnyWork() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assertTrue(ro.toFile().setWritable(false));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(canWrite(ro), "running as root: permissions do not bind");
            Run r = demo(small("ro/x.mp4"));
            assertEquals(1, r.code());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains("cannot write"), r.err());
        } finally {
            ro.toFile().setWritable(true);
        }
    }

    static boolean canWrite(Path d) {
        try {
            Files.delete(Files.createTempFile(d, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void missingModelsAreListedWithHubIdsAndFetchCommands() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("models"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Run r = run(d -> {
            new RequiredModels(d, Map.of(), home).locate();
            throw new AssertionError("models found in an empty folder");
        }, small("m.mp4", "--models", empty.toString()));
        assertEquals(1, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        for (RequiredModels.Model m : RequiredModels.ALL) {
            assertTrue(r.err().contains(m.hubId()) && r.err().contains(m.fetchCommand(empty)), r.err());
        }
    }

    @Test
    void aFileAsTheModelsFolderIsNamedAsSuch() throws IOException {
        Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0");
        Path home = Files.createDirectory(dir.resolve("home"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RequiredModels(file, Map.of(), home).locate());
        assertTrue(e.getMessage().startsWith("--models " + file + " is a file") && !e.getMessage().contains("--local-dir"),
                e.getMessage());
    }
}
