package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jsora.tensor.WeightTensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingLoaderTest {

    /** A loaded group that counts the bytes alive (loaded and not yet released) across all groups. */
    static final class Live implements AutoCloseable {
        final int index;
        final long bytes;
        final Meter meter;

        Live(int index, long bytes, Meter meter) {
            this.index = index;
            this.bytes = bytes;
            this.meter = meter;
            meter.loads.incrementAndGet();
            meter.add(bytes);
        }

        @Override
        public void close() {
            meter.add(-bytes);
        }
    }

    static final class Meter {
        final AtomicLong live = new AtomicLong();
        final AtomicLong peak = new AtomicLong();
        final AtomicLong loads = new AtomicLong();

        void add(long b) {
            long now = live.addAndGet(b);
            peak.accumulateAndGet(now, Math::max);
        }
    }

    private static List<WeightGroup<Live>> groups(long[] sizes, Meter m) {
        List<WeightGroup<Live>> g = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            int idx = i;
            g.add(WeightGroup.of("group " + i, sizes[i], () -> new Live(idx, sizes[idx], m)));
        }
        return g;
    }

    /** Compute with group i until group i+1 has been loaded in the background: a consumer slower than loading. */
    private static void computeUntilLoaded(StreamingLoader<?> loader, int next) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!loader.isLoaded(next)) {
            if (System.nanoTime() > deadline) {
                fail("group " + next + " was not loaded in the background while group " + (next - 1) + " computed");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void consumerSlowerThanLoadingStallsOnlyOnTheFirstGroup() throws InterruptedException {
        Meter m = new Meter();
        try (StreamingLoader<Live> loader = new StreamingLoader<>(groups(new long[] {10, 10, 10, 10, 10}, m), 25, false)) {
            for (int i = 0; i < loader.size(); i++) {
                int stallsBefore = loader.stats().stalls;
                assertEquals(i, loader.get(i).index);
                if (i > 0) {
                    assertEquals(stallsBefore, loader.stats().stalls, "group " + i + " stalled");
                }
                if (i + 1 < loader.size()) {
                    computeUntilLoaded(loader, i + 1);
                }
            }
            assertTrue(loader.stats().stalls <= 1);
            assertEquals(50, loader.stats().bytesLoaded);
            assertTrue(loader.stats().peakResidentBytes <= 25);
        }
        assertEquals(0, m.live.get(), "every group is released");
    }

    @Test
    void cyclicPassesPrefetchTheNextPassAndKeepTheFirstGroupsResident() throws InterruptedException {
        Meter m = new Meter();
        long[] sizes = {10, 10, 10, 10, 10, 10};
        try (StreamingLoader<Live> loader = new StreamingLoader<>(groups(sizes, m), 40, true)) {
            assertEquals(2, loader.residentGroups(), "20 bytes pinned + 2 × 10 streamed = the 40-byte budget");
            for (int pass = 0; pass < 3; pass++) {
                for (int i = 0; i < loader.size(); i++) {
                    assertEquals(i, loader.get(i).index);
                    int next = i + 1 < loader.size() ? i + 1 : loader.residentGroups();
                    computeUntilLoaded(loader, next);
                }
            }
            assertTrue(loader.stats().stalls <= 1, loader.stats().toString());
            // pinned groups load once, the others every pass, plus the prefetch for a fourth pass
            assertEquals(2 + 4 * 3 + 1, loader.stats().loads);
            assertTrue(m.peak.get() <= 40);
        }
        assertEquals(0, m.live.get());
    }

    @Property(tries = 60)
    void theBudgetIsNeverExceeded(@ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 100) Integer> sizes,
                                  @ForAll @LongRange(min = 0, max = 400) long extra,
                                  @ForAll @IntRange(min = 1, max = 3) int passes, @ForAll boolean cyclic) {
        long[] s = sizes.stream().mapToLong(Integer::longValue).toArray();
        long budget = java.util.Arrays.stream(s).max().getAsLong() + extra;
        Meter m = new Meter();
        int k;
        try (StreamingLoader<Live> loader = new StreamingLoader<>(groups(s, m), budget, cyclic)) {
            for (int pass = 0; pass < passes; pass++) {
                for (int i = 0; i < loader.size(); i++) {
                    assertEquals(i, loader.get(i).index);
                    assertTrue(m.live.get() <= budget);
                }
            }
            assertTrue(loader.stats().peakResidentBytes <= budget, loader.stats().toString());
            k = loader.residentGroups();
        }
        // pinned groups load once, the others every pass (a lone group is simply kept); a cyclic loader may prefetch
        // for a pass that never comes
        long expected = s.length == 1 ? 1 : k + (long) (s.length - k) * passes;
        assertTrue(m.loads.get() == expected || (cyclic && m.loads.get() == expected + 1), m.loads + " loads");
        assertTrue(m.peak.get() <= budget, "peak " + m.peak.get() + " > budget " + budget);
        assertEquals(0, m.live.get());
    }

    @Test
    void aGroupLargerThanTheBudgetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StreamingLoader<>(groups(new long[] {10, 30}, new Meter()), 20, true));
        assertTrue(e.getMessage().contains("group 1"), e.getMessage());
    }

    @Test
    void groupsMustBeTakenInOrderAndAPassMayRestart() {
        Meter m = new Meter();
        try (StreamingLoader<Live> loader = new StreamingLoader<>(groups(new long[] {5, 5, 5}, m), 10, true)) {
            loader.get(0);
            assertThrows(IllegalStateException.class, () -> loader.get(2));
            loader.get(1);
            assertEquals(0, loader.get(0).index);
            assertEquals(1, loader.get(1).index);
            assertTrue(m.peak.get() <= 10);
        }
    }

    @Test
    void anIoErrorSurfacesInTheCallersThreadWithTheFileName(@TempDir Path dir) throws IOException {
        String header = "{\"blocks.0.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"blocks.1.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]},"
                + "\"blocks.2.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[32,48]}}";
        Path p = TestFiles.write(dir, "streamed.safetensors", TestFiles.safetensors(header, new byte[48]));
        try (Checkpoint c = Checkpoints.open(p)) {
            List<WeightGroup<Map<String, WeightTensor>>> g = new ArrayList<>();
            List<List<String>> blocks = BlockOrder.blocks(c.keys(), "blocks.");
            for (int i = 0; i < blocks.size(); i++) {
                g.add(WeightGroup.tensors(c, "block " + i, blocks.get(i)));
            }
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(f.length() - 8); // the disk loses the end of block 2
            }
            try (StreamingLoader<Map<String, WeightTensor>> loader = new StreamingLoader<>(g, 1000, false)) {
                assertEquals(4, loader.get(0).get("blocks.0.w").size());
                loader.get(1);
                CheckpointException e = assertThrows(CheckpointException.class, () -> loader.get(2));
                assertTrue(e.getMessage().contains("streamed.safetensors") && e.getMessage().contains("blocks.2.w"),
                        e.getMessage());
                assertThrows(CheckpointException.class, () -> loader.get(2), "a retry reads again, and fails again");
                assertEquals(4, loader.get(0).get("blocks.0.w").size(), "a new pass can start");
            }
        }
    }

    @Test
    void memorySizesParse() {
        assertEquals(6L << 30, MemoryBudget.parse("6GB"));
        assertEquals(3L << 29, MemoryBudget.parse("1.5g"));
        assertEquals(512L << 20, MemoryBudget.parse("512 MiB"));
        assertEquals(1234567, MemoryBudget.parse("1234567"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse("lots"));
        assertTrue(e.getMessage().contains("--memory"));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse("-1G"));
    }
}
