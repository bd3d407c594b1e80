package jsora.cli;

import java.util.concurrent.TimeUnit;

/**
 * Ties a relaunched JVM's life to its launcher's. In the launcher, a shutdown hook (run on SIGINT, SIGTERM, SIGHUP
 * and on a normal exit) asks the child to stop (SIGTERM, so the child's own hooks remove its temporary files), waits
 * for it and ends the launcher with the child's exit status. In the child, a watch on the launcher stops the child
 * when the launcher is gone (killed with SIGKILL, say), so it never runs on as an orphan.
 */
final class ChildLink {
    /** Set in a relaunched JVM to its launcher's process id; such a JVM never relaunches again. */
    static final String LAUNCHER = "jsora.launcher";
    /** How long the child gets to clean up after SIGTERM before it is killed. */
    static final long GRACE_SECONDS = 10;

    private ChildLink() {
    }

    /** In the launcher: waits for {@code child}, forwarding a stop request; returns (or exits with) its status. */
    static int await(Process child, Thread stderrPump) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
            }
            Runtime.getRuntime().halt(finish(child, stderrPump));
        }, "stop-child"));
        return waitFor(child, stderrPump);
    }

    /** Waits for {@code child} to end by itself, however long it runs; its status. */
    static int waitFor(Process child, Thread stderrPump) throws InterruptedException {
        child.waitFor();
        return finish(child, stderrPump);
    }

    /** Gives a child asked to stop the grace period, then kills it; its status. */
    private static int finish(Process child, Thread stderrPump) {
        try {
            if (!child.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            stderrPump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
        System.err.flush();
        return child.isAlive() ? 1 : child.exitValue();
    }

    /** Whether this JVM was started by a launcher. */
    static boolean isChild() {
        return System.getProperty(LAUNCHER) != null;
    }

    /** In the child: exits once the launcher is gone. */
    static void watchLauncher() {
        long pid;
        try {
            pid = Long.parseLong(System.getProperty(LAUNCHER));
        } catch (NumberFormatException e) {
            return; // not set by Main; nothing to watch
        }
        ProcessHandle.of(pid).map(ProcessHandle::onExit).ifPresentOrElse(
                gone -> gone.thenRun(ChildLink::launcherGone), ChildLink::launcherGone);
    }

    private static void launcherGone() {
        System.err.println("jsora: the launching process has ended; stopping");
        System.exit(1);
    }
}
