package jsora.cli.serve;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of {@code jsora serve}, on the JDK's {@code com.sun.net.httpserver}:
 * <pre>
 * GET  /                        the page (from the jar)
 * GET  /api/fields              the form's fields: generate's options, their defaults and help
 * GET  /api/jobs                every job of this server, oldest first
 * POST /api/jobs                a new job from a form (application/x-www-form-urlencoded; generate's options)
 * GET  /api/jobs/N              one job
 * GET  /api/jobs/N/events       its progress as server-sent events, until it ends
 * POST /api/jobs/N/cancel       stop it
 * GET  /videos/NAME             a finished job's video, with byte ranges
 * </pre>
 * Only the videos the server wrote are served: a request names a job's file by name, never a path. Bodies are
 * bounded; a bad form gets 400 with the message, an unknown path 404, a wrong method 405.
 */
final class WebServer {
    /** Largest request body read: a form with a long prompt fits many times over. */
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern JOB = Pattern.compile("/api/jobs/(\\d{1,9})(/events|/cancel)?");
    private static final Pattern VIDEO = Pattern.compile("/videos/([A-Za-z0-9._-]{1,200})");
    private static final long EVENT_MILLIS = 250;

    private final Jobs jobs;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "jsora-serve-http");
        t.setDaemon(true);
        return t;
    });
    private final Gson gson = new Gson();

    WebServer(Jobs jobs, InetSocketAddress address) throws IOException {
        this.jobs = jobs;
        server = HttpServer.create(address, 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** The bound port (useful with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            Matcher job = JOB.matcher(path);
            Matcher video = VIDEO.matcher(path);
            if (path.equals("/")) {
                if (allow(ex, method, "GET")) {
                    page(ex);
                }
            } else if (path.equals("/api/fields")) {
                if (allow(ex, method, "GET")) {
                    json(ex, 200, Jobs.formFields());
                }
            } else if (path.equals("/api/jobs")) {
                if (allow(ex, method, "GET", "POST")) {
                    if (method.equals("GET")) {
                        list(ex);
                    } else {
                        submit(ex);
                    }
                }
            } else if (job.matches()) {
                Job j = jobs.get(Integer.parseInt(job.group(1)));
                String what = job.group(2) == null ? "" : job.group(2);
                if (j == null) {
                    error(ex, 404, "no job " + job.group(1));
                } else if (what.equals("/cancel")) {
                    if (allow(ex, method, "POST")) {
                        jobs.cancel(j);
                        json(ex, 200, j.json(jobs.position(j)));
                    }
                } else if (allow(ex, method, "GET")) {
                    if (what.equals("/events")) {
                        events(ex, j);
                    } else {
                        json(ex, 200, j.json(jobs.position(j)));
                    }
                }
            } else if (video.matches()) {
                if (allow(ex, method, "GET", "HEAD")) {
                    video(ex, video.group(1));
                }
            } else {
                error(ex, 404, "no such page: " + path);
            }
        } catch (IOException e) {
            // the browser went away mid-answer: nothing to tell it
        }
    }

    private boolean allow(HttpExchange ex, String method, String... allowed) throws IOException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        error(ex, 405, method + " is not allowed here");
        return false;
    }

    private void page(HttpExchange ex) throws IOException {
        byte[] html;
        try (InputStream in = WebServer.class.getResourceAsStream("index.html")) {
            html = in.readAllBytes();
        }
        send(ex, 200, "text/html; charset=utf-8", html);
    }

    private void list(HttpExchange ex) throws IOException {
        JsonArray a = new JsonArray();
        for (Job j : jobs.all()) {
            a.add(j.json(jobs.position(j)));
        }
        JsonObject o = new JsonObject();
        o.add("jobs", a);
        json(ex, 200, o);
    }

    private void submit(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            error(ex, 415, "send the form as application/x-www-form-urlencoded");
            return;
        }
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            error(ex, 413, "the form is larger than " + MAX_BODY + " bytes");
            return;
        }
        Job j;
        try {
            j = jobs.submit(form(new String(body, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
            return;
        }
        json(ex, 202, j.json(jobs.position(j)));
    }

    /** name=value&amp;... decoded as UTF-8; a name given twice is refused (which one would count?). */
    static Map<String, String> form(String body) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (f.put(name, value) != null) {
                throw new IllegalArgumentException("field '" + name + "' is given twice");
            }
        }
        return f;
    }

    /** Server-sent events: the job's state whenever it changes, the last one when it has ended. */
    private void events(HttpExchange ex, Job j) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            String last = null;
            while (true) {
                boolean ended = j.ended();
                String now = gson.toJson(j.json(jobs.position(j)));
                if (!now.equals(last)) {
                    out.write(("data: " + now + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    last = now;
                }
                if (ended) {
                    return;
                }
                try {
                    Thread.sleep(EVENT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void video(HttpExchange ex, String name) throws IOException {
        for (Job j : jobs.all()) {
            if (j.state() == Job.State.DONE && j.video.getFileName().toString().equals(name)
                    && Files.isRegularFile(j.video)) {
                FileRanges.send(ex, j.video, name.endsWith(".gif") ? "image/gif" : "video/mp4");
                return;
            }
        }
        error(ex, 404, "no video " + name);
    }

    private void json(HttpExchange ex, int status, JsonObject o) throws IOException {
        send(ex, status, "application/json; charset=utf-8", gson.toJson(o).getBytes(StandardCharsets.UTF_8));
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(ex, status, o);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
