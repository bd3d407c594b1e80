package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The launcher waits for its relaunched JVM however long the run takes (the grace period is for a stop only). */
class ChildLinkTest {
    @Test
    void aChildThatRunsLongerThanTheGracePeriodIsNotKilled() throws Exception {
        long seconds = ChildLink.GRACE_SECONDS + 2;
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder("sleep", "" + seconds).start();
        Thread pump = new Thread(() -> { });
        pump.start();
        assertEquals(0, ChildLink.waitFor(child, pump), "the child's status");
        assertTrue(System.nanoTime() - t0 >= seconds * 1_000_000_000L, "returned before the child ended");
    }
}
