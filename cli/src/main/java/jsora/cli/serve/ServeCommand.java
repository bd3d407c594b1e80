package jsora.cli.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import jsora.cli.Checks;
import jsora.cli.GenerateCommand;
import jsora.models.pipeline.MemoryPlan;
import jsora.weights.MemoryBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jsora serve}: a local web page to make videos from a browser (a phone's under Termux, or a laptop's). One
 * generation runs at a time, the others wait in a queue; the page shows each one's progress and plays the video.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a web page on which to generate videos and watch them (one at a time, the rest queued).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; "
            + "anything else lets other machines on the network use it).")
    String host;

    @Option(names = "--models", paramLabel = "DIR", description = "Folder with the model folders (else the Hugging Face cache); 'demo' = the built-in tiny model.")
    Path models;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget of the whole process, as for generate (default: the JVM's heap decides).")
    String memory;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "jsora-videos", description = "Folder for the videos (default ${DEFAULT-VALUE}; made if absent).")
    Path outDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Checks.within("--port", port, 0, 65535);
        long budget = memory == null ? 0 : MemoryBudget.parse(memory);
        Checks.physicalMemory("--memory", memory, budget);
        InetAddress address = InetAddress.getByName(host);
        Files.createDirectories(outDir);
        WebServer server = new WebServer(new Jobs(GenerateCommand.checkpoints(models), MemoryPlan.forThisJvm(budget), outDir),
                new InetSocketAddress(address, port));
        server.start();
        if (!address.isLoopbackAddress()) {
            System.err.println("jsora serve: warning: listening on " + host + ", so other machines on the network can "
                    + "use this server and see its videos");
        }
        System.out.println("jsora serve: http://" + (address.isAnyLocalAddress() ? "127.0.0.1" : host) + ":"
                + server.port() + "/  (videos in " + outDir.toAbsolutePath() + "; Ctrl-C stops)");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
