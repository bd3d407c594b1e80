package jsora.cli.serve;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import jsora.cli.GenerateCommand;

/**
 * One generation asked of the server: its settings (the form's fields, so a run can be repeated with one change), its
 * state, its progress, and at the end the video's file name and the report, or why it failed. Fields change on the
 * worker thread and are read by request threads: each is written once per change, under the job's lock.
 */
final class Job {
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    final int id;
    final Map<String, String> settings;
    /** The settings as generate parsed and checked them. */
    final GenerateCommand.Asked request;
    final Path video;
    private State state = State.QUEUED;
    private String stage = "queued";
    private int step;
    private int steps;
    private long startNanos;
    private long stepNanos;
    private String error;
    private JsonObject report;
    private volatile boolean cancel;

    Job(int id, Map<String, String> settings, GenerateCommand.Asked request, Path video) {
        this.id = id;
        this.settings = settings;
        this.request = request;
        this.video = video;
    }

    synchronized void start() {
        state = State.RUNNING;
        stage = "text";
        startNanos = System.nanoTime();
    }

    synchronized void progress(int done, int total) {
        stage = "denoise";
        step = done;
        steps = total;
        stepNanos = System.nanoTime();
    }

    synchronized void decoding() {
        stage = "decode";
    }

    synchronized void finish(JsonObject report) {
        state = State.DONE;
        stage = "done";
        this.report = report;
    }

    synchronized void fail(String why, boolean cancelled) {
        state = cancelled ? State.CANCELLED : State.FAILED;
        stage = cancelled ? "cancelled" : "failed";
        error = why;
    }

    void requestCancel() {
        cancel = true;
    }

    boolean cancelRequested() {
        return cancel;
    }

    synchronized State state() {
        return state;
    }

    synchronized boolean ended() {
        return state == State.DONE || state == State.FAILED || state == State.CANCELLED;
    }

    /** What the page shows: state, stage, step, ETA (the mean step time so far times the steps left), result. */
    synchronized JsonObject json(int position) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("state", state.name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("stage", stage);
        if (state == State.QUEUED) {
            o.addProperty("position", position);
        }
        o.addProperty("step", step);
        o.addProperty("steps", steps);
        if (step > 0 && steps > step) {
            double perStep = (stepNanos - startNanos) / 1e9 / step;
            o.addProperty("eta_seconds", Math.round(perStep * (steps - step)));
        }
        JsonObject s = new JsonObject();
        settings.forEach(s::addProperty);
        o.add("settings", s);
        if (state == State.DONE) {
            o.addProperty("video", "/videos/" + video.getFileName());
            o.add("report", report);
        }
        if (error != null) {
            o.addProperty("error", error);
        }
        return o;
    }
}
