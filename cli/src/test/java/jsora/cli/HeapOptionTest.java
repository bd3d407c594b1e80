package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jsora.models.pipeline.MemoryPlan;
import org.junit.jupiter.api.Test;

class HeapOptionTest {
    private static final long GB = 1L << 30;

    @Test
    void theHeapComesFromTheMemoryOptionInEitherSpelling() {
        long h = MemoryPlan.heapFor(3 * GB);
        assertEquals(h, HeapOption.wanted(new String[] {"generate", "x", "--memory", "3G"}));
        assertEquals(h, HeapOption.wanted(new String[] {"generate", "--memory=3G", "x"}));
    }

    @Test
    void noUsableMemoryOptionMeansNoHeap() {
        assertEquals(-1, HeapOption.wanted(new String[] {"generate", "x"}));
        assertEquals(-1, HeapOption.wanted(new String[] {"generate", "x", "--memory", "lots"}));
        assertEquals(-1, HeapOption.wanted(new String[] {"generate", "x", "--memory", "100M"}));
        assertEquals(-1, HeapOption.wanted(new String[] {"generate", "--", "--memory", "3G"}));
        assertEquals(-1, HeapOption.wanted(new String[] {"generate", "x", "--memory"}));
        assertEquals(-1, HeapOption.wanted(new String[] {"bench", "t5", "--memory", "3G"}));
    }

    @Test
    void moreThanTheMachineHasIsRefusedBeforeTheRelaunch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapOption.wanted(new String[] {"generate", "x", "--memory", "1000T"}));
        assertTrue(e.getMessage().startsWith("--memory 1000T: more than this machine's memory"), e.getMessage());
    }

    @Test
    void onlyALargerHeapThanWantedNeedsARestart() {
        assertFalse(HeapOption.tooLarge(8 * GB, -1));
        assertFalse(HeapOption.tooLarge(2 * GB, 3 * GB));
        assertFalse(HeapOption.tooLarge(3 * GB + 10_000_000, 3 * GB));
        assertTrue(HeapOption.tooLarge(4 * GB, 3 * GB));
    }

    @Test
    void theUsersHeapOptionsAreReplacedAndTheParallelCollectorAdded() {
        List<String> out = HeapOption.withHeap(List.of("-Xmx8g", "-Dx=1", "-XX:MaxRAMPercentage=70",
                "-XX:MaxHeapSize=9g"), 3 * GB);
        assertEquals(List.of("-Dx=1", "-Xmx3145728k", "-XX:+UseParallelGC"), out);
    }

    @Test
    void aCollectorTheUserChoseIsKept() {
        assertEquals(List.of("-XX:+UseG1GC", "-Xmx1048576k"), HeapOption.withHeap(List.of("-XX:+UseG1GC"), GB));
    }
}
