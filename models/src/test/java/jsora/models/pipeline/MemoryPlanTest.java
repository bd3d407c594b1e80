package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jsora.models.sampler.PixelSize;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.tensor.Tensor;
import jsora.weights.LoadStats;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The shares a process budget gives each stage, and the streamed STDiT3 of a scaled-down model staying within one. */
class MemoryPlanTest {
    private static final long MB = 1L << 20;
    /** A scaled-down STDiT3 (hidden 32, six block pairs of 45 KB each). */
    private static final STDiT3Config SMALL = new STDiT3Config(32, 6, 2, 2.0, 4, new int[] {1, 2, 2}, 16, 6, 512,
            true, true, 0);

    @Property(tries = 200)
    void everyShareFitsInsideTheBudget(@ForAll @LongRange(min = 1024, max = 65536) long processMb,
            @ForAll @IntRange(min = 1, max = 8) int sizeSteps, @ForAll @IntRange(min = 0, max = 4) int chunks) {
        long process = processMb * MB;
        MemoryPlan plan = MemoryPlan.of(process, Long.MAX_VALUE);
        PixelSize size = new PixelSize(32 * sizeSteps, 32 * sizeSteps, chunks == 0 ? 1 : 17 * chunks);
        assertEquals(MemoryPlan.heapFor(process), plan.heap());
        assertTrue(plan.heap() + MemoryPlan.NON_HEAP + process / 13 <= process);
        assertTrue(plan.textWeights() + MemoryPlan.TEXT_ACTIVATIONS <= plan.usable());
        assertTrue(plan.usable() < plan.heap());
        try {
            long weights = plan.denoiserWeights(size, 1152);
            assertTrue(weights > 0 && weights + MemoryPlan.denoiserActivations(size, 1152) <= plan.usable());
        } catch (IllegalArgumentException e) {
            assertTrue(MemoryPlan.denoiserActivations(size, 1152) >= plan.usable(), e.getMessage());
        }
        long decoder = 859 * MB;
        assertEquals(decoder + MemoryPlan.vaeActivations(size) <= plan.usable(), plan.vaeResident(decoder, size));
    }

    @Test
    void aSmallerJvmHeapWinsAndNoBudgetMeansTheHeap() {
        assertEquals(512 * MB, MemoryPlan.of(8L << 30, 512 * MB).heap());
        assertEquals(700 * MB, MemoryPlan.of(0, 700 * MB).heap());
        assertEquals(0, MemoryPlan.of(0, 700 * MB).process());
    }

    @Test
    void aBudgetBelowTheJvmsOwnNeedsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryPlan.of(200 * MB, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("--memory"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> MemoryPlan.of(1L << 30, Long.MAX_VALUE).denoiserWeights(new PixelSize(720, 1280, 102), 1152));
        assertTrue(big.getMessage().contains("STDiT3 at 1280x720"), big.getMessage());
    }

    /** At 256×256 and 68 frames the CFG batch has 10,240 tokens: 12 vectors of 1152 floats each, plus the fixed part. */
    @Test
    void denoiserActivationsFollowTheTokenCount() {
        long tokens = 2L * 20 * 16 * 16;
        assertEquals(MemoryPlan.STDIT_FIXED + tokens * 1152 * 4 * 12,
                MemoryPlan.denoiserActivations(new PixelSize(256, 256, 68), 1152));
        // 240p 9:16 (240x426, 51 frames): latent 15 x 30 x 53, its odd width padded to 27 patches
        long padded = 2L * 15 * 15 * 27;
        assertEquals(MemoryPlan.STDIT_FIXED + padded * 1152 * 4 * 12,
                MemoryPlan.denoiserActivations(new PixelSize(240, 426, 51), 1152));
    }

    /**
     * The scaled-down model streamed under budgets from two pairs' worth to all of them: the loader never holds more
     * than its budget, keeps what fits resident, and the output is the resident model's.
     */
    @Property(tries = 6)
    void streamedWeightsStayWithinTheBudget(@ForAll @IntRange(min = 0, max = 6) int extraPairs) throws IOException {
        Path dir = Files.createTempDirectory("jsora-plan");
        try {
            new FakeCheckpoints(3, (f, b) -> { }).writeStdit(dir, SMALL);
            SplittableRandom r = new SplittableRandom(extraPairs);
            Tensor x = random(r, 2, 4, 3, 4, 4);
            Tensor y = random(r, 2, 1, SMALL.modelMaxLength, SMALL.captionChannels);
            Tensor expected = forward(STDiT3.load(dir), x, y);
            long pair = pairBytes();
            long budget = (2 + extraPairs) * pair;
            try (STDiT3 streamed = STDiT3.load(dir, budget)) {
                forward(streamed, x, y);
                assertArrayEquals(expected.toArray(), forward(streamed, x, y).toArray());
                LoadStats stats = streamed.streamingStats().orElseThrow();
                assertTrue(stats.peakResidentBytes <= budget, stats + " over " + budget);
                // all pairs stay when they fit without streaming; else as many as leave room for two streamed ones
                assertEquals(extraPairs + 2 >= SMALL.depth ? SMALL.depth : extraPairs, stats.residentGroups,
                        stats.toString());
                assertFalse(stats.loads < SMALL.depth);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Bytes of one spatial + temporal block pair of {@link #SMALL} in float32. */
    private static long pairBytes() {
        return 4L * SMALL.parameterShapes().entrySet().stream()
                .filter(e -> e.getKey().startsWith("spatial_blocks.0.") || e.getKey().startsWith("temporal_blocks.0."))
                .mapToLong(e -> {
                    long n = 1;
                    for (int d : e.getValue()) {
                        n *= d;
                    }
                    return n;
                }).sum();
    }

    private static Tensor forward(STDiT3 model, Tensor x, Tensor y) {
        return model.forward(new STDiT3.Input(x, new float[] {700f, 700f}, y, new float[] {24f}, 8 * x.dim(3),
                8 * x.dim(4)));
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }
}
