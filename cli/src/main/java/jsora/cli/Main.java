package jsora.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jsora.tensor.SystemSettings;

/**
 * Entry point of {@code java -jar jsora.jar}. The kernels need the incubator module {@code jdk.incubator.vector},
 * which a plain {@code java -jar} does not resolve. If it is missing, this class starts the same JVM again with
 * {@code --add-modules jdk.incubator.vector} (and the user's JVM options), hides the JVM's one-line incubator
 * warning, and passes through everything else and the exit code. It also restarts the JVM when a {@code --memory}
 * budget asks for a smaller heap than the running JVM has ({@link HeapOption}); signals and exit status pass between
 * the two JVMs ({@link ChildLink}). This class must not touch the Vector API itself.
 */
public final class Main {
    static final String MODULE = "jdk.incubator.vector";
    static final String WARNING = "WARNING: Using incubator modules: " + MODULE;
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        long heap;
        try {
            SystemSettings.check();
            ArgumentEncoding.check(args);
            heap = HeapOption.wanted(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jsora: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean hasModule = ModuleLayer.boot().findModule(MODULE).isPresent();
        if (ChildLink.isChild()) {
            ChildLink.watchLauncher();
        }
        if (hasModule && (ChildLink.isChild() || !HeapOption.tooLarge(Runtime.getRuntime().maxMemory(), heap))) {
            System.exit(JsoraCommand.run(args));
        }
        System.exit(relaunch(args, heap, hasModule));
    }

    /** Starts the JVM again with the module and, for a {@code --memory} budget, the heap it leaves ({@code heap}). */
    private static int relaunch(String[] args, long heap, boolean hasModule) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--add-modules");
        cmd.add(MODULE);
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(heap > 0 ? HeapOption.withHeap(jvmArgs, heap) : jvmArgs);
        cmd.add("-D" + ChildLink.LAUNCHER + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        for (String a : args) {
            cmd.add(a);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (hasModule) {
                System.err.println("jsora: could not restart the JVM with the heap --memory asks for (-Xmx"
                        + (heap >> 20) + "m); going on with this JVM's heap, so the budget may not hold");
                return JsoraCommand.run(args);
            }
            System.err.println("jsora: could not restart the JVM with --add-modules " + MODULE + " (" + e.getMessage()
                    + "); run it as: java --add-modules " + MODULE + " -jar jsora.jar ...");
            return 2;
        }
        Thread pump = new Thread(() -> filterStderr(p.getErrorStream(), System.err), "stderr-pump");
        pump.setDaemon(true);
        pump.start();
        return ChildLink.await(p, pump);
    }

    /** Copies the child's stderr, dropping the incubator warning if it is the first line. */
    static void filterStderr(InputStream in, OutputStream out) {
        try {
            byte[] first = new byte[WARNING.length() + 2];
            int n = 0;
            boolean decided = false;
            int b;
            while (!decided && (b = in.read()) >= 0) {
                first[n++] = (byte) b;
                String sofar = new String(first, 0, n, StandardCharsets.UTF_8);
                if (b == '\n' || n == first.length || !(WARNING + "\r\n").startsWith(sofar)) {
                    decided = true;
                    if (!sofar.trim().equals(WARNING)) {
                        out.write(first, 0, n);
                        out.flush();
                    }
                }
            }
            if (!decided && n > 0) {
                out.write(first, 0, n);
            }
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
                out.flush();
            }
        } catch (IOException e) {
            // the child has gone; nothing more to copy
        }
    }
}
