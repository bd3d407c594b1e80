package jsora.cli.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import jsora.cli.GenerateCommand;
import jsora.cli.ModelSource;
import jsora.cli.UserErrors;
import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.Presets;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The server's generations: one at a time on one worker thread (so two models are never in memory at once), the
 * others queued in order. A form's fields are {@code generate}'s options by name ({@code steps=30} is
 * {@code --steps 30}), checked by {@code generate}'s own parser when the job is submitted; the server alone decides
 * where the video goes and with which models and memory.
 */
final class Jobs {
    /** Options of {@code generate} that belong to the server, not to a form. */
    private static final Set<String> SERVER_OPTIONS = Set.of("--out", "--models", "--memory", "--weight-budget",
            "--threads", "--json", "--list-presets", "--help", "--version");
    private static final Set<String> FORMATS = Set.of("mp4", "gif");

    private final ModelSource models;
    private final MemoryPlan plan;
    private final Path outDir;
    private final String session = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final List<Job> all = new ArrayList<>();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();

    Jobs(ModelSource models, MemoryPlan plan, Path outDir) {
        this.models = models;
        this.plan = plan;
        this.outDir = outDir;
        Thread worker = new Thread(this::work, "jsora-serve-worker");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues a generation; a field that is not one of generate's options, or a bad value, fails naming it. */
    synchronized Job submit(Map<String, String> form) {
        String format = form.getOrDefault("format", "mp4").toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("format '" + form.get("format") + "': use mp4 or gif");
        }
        Map<String, String> settings = new LinkedHashMap<>(form);
        settings.remove("format");
        GenerateCommand.Asked req;
        try {
            req = GenerateCommand.parse(arguments(settings));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (format.equals("gif")) {
            GenerateCommand.checkGifFps(req.generation().fps());
        } else {
            GenerateCommand.checkMp4(req.generation(), req.mp4());
        }
        settings.put("format", format);
        int id = all.size() + 1;
        Job job = new Job(id, settings, req, outDir.resolve("jsora-" + session + "-" + id + "." + format));
        all.add(job);
        queue.add(job);
        return job;
    }

    /**
     * The fields a form may hold, from generate's own definition: per option (without its "--") its default, whether
     * it is a switch, and its help text; {@code preset} also lists the presets' names; {@code format} is the server's.
     */
    static JsonObject formFields() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new GenerateCommand()).getCommandSpec();
        JsonObject fields = new JsonObject();
        JsonObject prompt = new JsonObject();
        prompt.addProperty("description", String.join(" ", spec.positionalParameters().get(0).description()));
        fields.add("prompt", prompt);
        for (OptionSpec o : spec.options()) {
            if (SERVER_OPTIONS.contains(o.longestName()) || !o.longestName().startsWith("--")) {
                continue;
            }
            JsonObject f = new JsonObject();
            f.addProperty("switch", o.typeInfo().isBoolean());
            f.addProperty("default", o.typeInfo().isBoolean() ? null : o.defaultValue());
            f.addProperty("description", String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                    String.valueOf(o.defaultValue())));
            fields.add(o.longestName().substring(2), f);
        }
        JsonArray presets = new JsonArray();
        Presets.all().keySet().forEach(presets::add);
        fields.getAsJsonObject("preset").add("choices", presets);
        JsonObject format = new JsonObject();
        format.addProperty("default", "mp4");
        JsonArray formats = new JsonArray();
        FORMATS.stream().sorted(java.util.Comparator.reverseOrder()).forEach(formats::add);
        format.add("choices", formats);
        format.addProperty("description", "The video file: mp4 (H.264) or gif.");
        fields.add("format", format);
        return fields;
    }

    /** generate's arguments for a form: the prompt first, then --name value (or --name alone for a switch). */
    static String[] arguments(Map<String, String> form) {
        CommandLine.Model.CommandSpec spec = new CommandLine(new GenerateCommand()).getCommandSpec();
        List<String> args = new ArrayList<>();
        String prompt = form.get("prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt: describe the video to generate");
        }
        args.add(prompt);
        for (Map.Entry<String, String> f : form.entrySet()) {
            String name = "--" + f.getKey();
            String value = f.getValue().strip();
            if (f.getKey().equals("prompt")) {
                continue;
            }
            OptionSpec o = spec.findOption(name);
            if (o == null || SERVER_OPTIONS.contains(o.longestName()) || !o.longestName().equals(name)) {
                throw new IllegalArgumentException("unknown field '" + f.getKey() + "'");
            }
            if (o.typeInfo().isBoolean()) {
                if (value.equals("on") || value.equals("true")) {
                    args.add(name);
                } else if (!value.isEmpty() && !value.equals("off") && !value.equals("false")) {
                    throw new IllegalArgumentException(f.getKey() + " '" + value + "': use on or off");
                }
            } else if (!value.isEmpty()) {
                args.add(name);
                // an option of several values (--image-size H W) takes them separated by spaces
                args.addAll(o.arity().max() > 1 ? List.of(value.split("\\s+")) : List.of(value));
            }
        }
        return args.toArray(new String[0]);
    }

    synchronized List<Job> all() {
        return List.copyOf(all);
    }

    synchronized Job get(int id) {
        return id >= 1 && id <= all.size() ? all.get(id - 1) : null;
    }

    /** 1 for the next job to run, 2 for the one after, ...; 0 unless queued. */
    synchronized int position(Job job) {
        if (job.state() != Job.State.QUEUED) {
            return 0;
        }
        int p = 0;
        for (Job j : queue) {
            p++;
            if (j == job) {
                return p;
            }
        }
        return 0;
    }

    /** Stops a job: a queued one never starts, a running one stops at its next sampling step. */
    synchronized void cancel(Job job) {
        if (queue.remove(job)) {
            job.fail("cancelled before it started", true);
        } else {
            job.requestCancel();
        }
    }

    private void work() {
        while (true) {
            try {
                run(queue.take());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(Job job) {
        GenerateCommand.Asked req = job.request;
        job.start();
        try {
            GenerateCommand.Produced made = GenerateCommand.make(req.generation(), models, plan, job.video, req.mp4(), step -> {
                if (job.cancelRequested()) {
                    throw new CancellationException();
                }
                job.progress(step.index() + 1, step.total());
                if (step.index() + 1 == step.total() || step.leapt()) {
                    job.decoding();
                }
            });
            job.finish(made.json(req.generation(), job.video, plan));
        } catch (CancellationException e) {
            job.fail("cancelled", true);
        } catch (Exception | OutOfMemoryError e) {
            // the server keeps running; the page says why this one failed
            job.fail(UserErrors.describe(e), false);
        }
    }
}
