package jsora.cli.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jsora.cli.GenerateCommand;
import jsora.cli.ModelSource;
import jsora.models.pipeline.MemoryPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of {@code jsora serve} over real HTTP, on the demo model: forms, the queue, events, videos, errors. */
class WebServerTest {
    /** A small demo run: a GIF of 17 frames at 64x64 in a few sampling steps. */
    private static final String SMALL = "prompt=a+red+circle&size=64x64&frames=17&steps=3&format=gif";

    @TempDir
    Path dir;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(ModelSource models) throws IOException {
        server = new WebServer(new Jobs(models, MemoryPlan.forThisJvm(0), dir),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.start();
    }

    private void startDemo() throws IOException {
        start(GenerateCommand.checkpoints(Path.of("demo")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Follows the job's server-sent events to its end; returns the last event. */
    private JsonObject awaitEnd(int id) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri("/api/jobs/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        List<String> events = r.body().filter(l -> l.startsWith("data: ")).collect(Collectors.toList());
        return JsonParser.parseString(events.get(events.size() - 1).substring(6)).getAsJsonObject();
    }

    @Test
    void thePageIsServedFromTheJar() throws Exception {
        startDemo();
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<form id=\"form\">") && r.body().contains("EventSource"), r.body());
    }

    /** The form's fields are generate's options, with generate's defaults; the server's own options are not. */
    @Test
    void theFieldsAreGeneratesOptions() throws Exception {
        startDemo();
        JsonObject f = json(get("/api/fields"));
        assertEquals("30", f.getAsJsonObject("steps").get("default").getAsString());
        assertEquals("42", f.getAsJsonObject("seed").get("default").getAsString());
        assertTrue(f.getAsJsonObject("lpl").get("switch").getAsBoolean());
        assertTrue(f.getAsJsonObject("preset").getAsJsonArray("choices").toString().contains("ondevice-256"));
        for (String serverOnly : new String[] {"out", "models", "memory", "threads", "json"}) {
            assertTrue(!f.has(serverOnly), serverOnly);
        }
    }

    @Test
    void aJobRunsToAPlayableVideoServedInRanges() throws Exception {
        startDemo();
        HttpResponse<String> r = post("/api/jobs", SMALL + "&lpl=off");
        assertEquals(202, r.statusCode(), r.body());
        int id = json(r).get("id").getAsInt();
        JsonObject end = awaitEnd(id);
        assertEquals("done", end.get("state").getAsString(), end.toString());
        assertEquals(3, end.get("steps").getAsInt());
        assertEquals("a red circle", end.getAsJsonObject("settings").get("prompt").getAsString());
        assertEquals(3, end.getAsJsonObject("report").get("model_calls").getAsInt());
        String video = end.get("video").getAsString();
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri(video)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertEquals("image/gif", whole.headers().firstValue("Content-Type").orElse(""));
        assertEquals("GIF89a", new String(whole.body(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(uri(video)).header("Range", "bytes=10-29").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertEquals("bytes 10-29/" + whole.body().length, part.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(whole.body(), 10, 30), part.body());
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(uri(video)).header("Range", "bytes=-5").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(Arrays.copyOfRange(whole.body(), whole.body().length - 5, whole.body().length), tail.body());
        HttpResponse<String> past = http.send(HttpRequest.newBuilder(uri(video))
                .header("Range", "bytes=" + whole.body().length + "-").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(416, past.statusCode());
        assertEquals(1, json(get("/api/jobs")).getAsJsonArray("jobs").size());
    }

    @Test
    void badFormsAreRefusedNamingTheField() throws Exception {
        startDemo();
        String[][] cases = {{"prompt=x&bogus=1", "unknown field 'bogus'"}, {"prompt=x&out=/etc/passwd", "'out'"},
            {"prompt=x&models=/tmp", "'models'"}, {"steps=3", "prompt"}, {"prompt=x&steps=big", "'--steps'"},
            {"prompt=x&steps=2&steps=3", "'steps' is given twice"}, {"prompt=x&format=avi", "format 'avi'"},
            {"prompt=x&lpl=maybe", "lpl 'maybe'"}, {"prompt=x&fps=60&format=gif", "GIF"},
            {"prompt=x&frames=3", "--frames"}};
        for (String[] c : cases) {
            HttpResponse<String> r = post("/api/jobs", c[0]);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            assertTrue(json(r).get("error").getAsString().contains(c[1]), c[0] + ": " + r.body());
        }
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri("/api/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("prompt=x")).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode());
        assertEquals(413, post("/api/jobs", "prompt=" + "x".repeat(WebServer.MAX_BODY)).statusCode());
        assertEquals(0, json(get("/api/jobs")).getAsJsonArray("jobs").size());
    }

    @Test
    void unknownPathsAndMethodsAndVideos() throws Exception {
        startDemo();
        assertEquals(404, get("/etc/passwd").statusCode());
        assertEquals(404, get("/videos/jsora.mp4").statusCode());
        assertEquals(404, get("/videos/..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(404, get("/api/jobs/7").statusCode());
        HttpResponse<String> del = http.send(HttpRequest.newBuilder(uri("/api/jobs")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, del.statusCode());
        assertEquals("GET, POST", del.headers().firstValue("Allow").orElse(""));
        assertEquals(405, post("/", "a=b").statusCode());
    }

    @Test
    void jobsQueueInOrderAndAQueuedOneCanBeCancelled() throws Exception {
        startDemo();
        int first = json(post("/api/jobs", SMALL)).get("id").getAsInt();
        JsonObject second = json(post("/api/jobs", SMALL));
        JsonObject third = json(post("/api/jobs", SMALL));
        assertEquals("queued", third.get("state").getAsString());
        assertTrue(third.get("position").getAsInt() >= 1, third.toString());
        int id = third.get("id").getAsInt();
        assertEquals("cancelled", json(post("/api/jobs/" + id + "/cancel", "")).get("state").getAsString());
        assertEquals("done", awaitEnd(first).get("state").getAsString());
        assertEquals("done", awaitEnd(second.get("id").getAsInt()).get("state").getAsString());
        assertEquals("cancelled", awaitEnd(id).get("state").getAsString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "two videos, nothing of the cancelled job");
        }
    }

    @Test
    void aRunningJobStopsAtItsNextStepAndLeavesNoFile() throws Exception {
        startDemo();
        int id = json(post("/api/jobs", "prompt=a+red+circle&steps=200&size=64x64&frames=17")).get("id").getAsInt();
        for (int i = 0; i < 600 && json(get("/api/jobs/" + id)).get("step").getAsInt() < 1; i++) {
            Thread.sleep(50);
        }
        post("/api/jobs/" + id + "/cancel", "");
        assertEquals("cancelled", awaitEnd(id).get("state").getAsString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.collect(Collectors.toList()), "no video and no temporary file");
        }
    }

    @Test
    void aFailedRunIsReportedAndTheServerGoesOn() throws Exception {
        ModelSource demo = GenerateCommand.checkpoints(Path.of("demo"));
        boolean[] failed = {false};
        start(plan -> {
            if (!failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("the disk with the models went away");
            }
            return demo.open(plan);
        });
        JsonObject bad = awaitEnd(json(post("/api/jobs", SMALL)).get("id").getAsInt());
        assertEquals("failed", bad.get("state").getAsString());
        assertTrue(bad.get("error").getAsString().contains("the disk with the models went away"), bad.toString());
        assertEquals("done", awaitEnd(json(post("/api/jobs", SMALL)).get("id").getAsInt()).get("state").getAsString());
    }
}
