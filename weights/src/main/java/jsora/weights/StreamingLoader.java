package jsora.weights;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CI-DL (Concurrent Inference with Dynamic Loading, On-device Sora §5): weights arrive group by group (one group per
 * transformer block) while the model computes. When the caller takes group i, group i+1 starts loading on a background
 * thread, and the streamed group taken before i is released. A memory budget decides how many leading groups stay
 * resident between passes: the first K groups are loaded once and kept, where K is the largest number that still
 * leaves room for two streamed groups (the one computing and the one loading); the rest are streamed on every pass.
 * A loader that is not cyclic (a single pass, as for T5) keeps nothing: each group is released after use. With a cyclic
 * loader (a model run once per denoising step) the first streamed group of the next pass is prefetched
 * while the last group computes.
 *
 * <p>Groups must be taken in order 0, 1, ..., n-1 (then 0 again for the next pass; taking 0 early starts a new pass).
 * Load errors surface in the caller's thread, from {@link #get}, as a {@link CheckpointException} naming the file.
 * Not thread-safe: one caller thread takes the groups.
 *
 * <pre>{@code
 * // STDiT3: 28 spatial/temporal block pairs, streamed every denoising step.
 * Checkpoint ckpt = Checkpoints.open("hpcaitech/OpenSora-STDiT-v3");
 * List<WeightGroup<BlockPair>> groups = new ArrayList<>();
 * List<List<String>> blocks = BlockOrder.blocks(ckpt.keys(), "spatial_blocks.", "temporal_blocks.");
 * for (int i = 0; i < blocks.size(); i++) {
 *     groups.add(WeightGroup.tensors(ckpt, "block pair " + i, blocks.get(i)).then(BlockPair::new));
 * }
 * try (StreamingLoader<BlockPair> loader = new StreamingLoader<>(groups, MemoryBudget.parse("6GB"), true)) {
 *     for (int step = 0; step < steps; step++) {
 *         for (int i = 0; i < loader.size(); i++) {
 *             x = loader.get(i).forward(x);          // block pair i+1 is read meanwhile
 *         }
 *     }
 *     System.err.println(loader.stats());
 * }
 * // T5 (24 blocks, once): BlockOrder.blocks(keys, "encoder.block."), cyclic = false.
 * // VAE decoder: one group per up block, BlockOrder.blocks(keys, "spatial_vae.module.decoder.up_blocks."),
 * // cyclic when several latent chunks are decoded.
 * }</pre>
 *
 * @param <T> what a group loads into
 */
public final class StreamingLoader<T> implements AutoCloseable {
    private final List<WeightGroup<T>> groups;
    private final long budget;
    private final boolean cyclic;
    private final int resident;
    private final List<Future<T>> futures;
    private final ExecutorService io;
    private long residentBytes;
    private long peakResidentBytes;
    private int previous = -1;
    private long stallNanos;
    private int stalls;
    private final AtomicLong bytesLoaded = new AtomicLong();
    private final AtomicLong loadNanos = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();

    /**
     * @param groups the groups in execution order
     * @param budget bytes the loaded groups may occupy together
     * @param cyclic whether passes repeat (prefetch group K of the next pass during the last group)
     * @throws IllegalArgumentException if a single group is larger than the budget
     */
    public StreamingLoader(List<WeightGroup<T>> groups, long budget, boolean cyclic) {
        this.groups = List.copyOf(groups);
        this.budget = budget;
        this.cyclic = cyclic;
        for (WeightGroup<T> g : this.groups) {
            if (g.bytes() > budget) {
                throw new IllegalArgumentException("memory budget " + MemoryBudget.format(budget) + " is smaller than "
                        + g.name() + " (" + MemoryBudget.format(g.bytes()) + "); raise --memory");
            }
        }
        this.resident = cyclic ? residentCount() : 0;
        this.futures = new ArrayList<>();
        for (int i = 0; i < this.groups.size(); i++) {
            futures.add(null);
        }
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jsora-weight-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** The largest K with bytes(groups 0..K-1) + the two largest of groups K..n-1 within the budget. */
    private int residentCount() {
        long prefix = 0;
        int best = 0;
        for (int k = 0; k <= groups.size(); k++) {
            long first = 0;
            long second = 0;
            for (int j = k; j < groups.size(); j++) {
                long b = groups.get(j).bytes();
                if (b > first) {
                    second = first;
                    first = b;
                } else if (b > second) {
                    second = b;
                }
            }
            if (prefix + first + second <= budget) {
                best = k;
            }
            if (k < groups.size()) {
                prefix += groups.get(k).bytes();
            }
        }
        return best;
    }

    public int size() {
        return groups.size();
    }

    /** How many leading groups stay loaded between passes. */
    public int residentGroups() {
        return resident;
    }

    /** Whether group {@code i} has finished loading and is held. */
    public boolean isLoaded(int i) {
        Future<T> f = futures.get(i);
        return f != null && f.isDone() && !f.isCancelled();
    }

    /** Group {@code i}, waiting for its load if needed; starts loading the next group. */
    public T get(int i) {
        int expected = previous < 0 ? 0 : (previous + 1) % groups.size();
        if (i != expected && i != 0) {
            throw new IllegalStateException("groups must be taken in order: expected " + expected + ", got " + i);
        }
        if (previous >= 0 && previous != i && previous >= resident) {
            release(previous);
        }
        if (futures.get(i) == null) {
            makeRoom(i);
            submit(i);
        }
        T value = await(i);
        previous = i; // only now: after a failed load the caller may ask for the same group again
        int next = i + 1 < groups.size() ? i + 1 : (cyclic && resident < groups.size() ? resident : -1);
        if (next >= 0 && next != i && futures.get(next) == null && residentBytes + groups.get(next).bytes() <= budget) {
            submit(next);
        }
        return value;
    }

    private void submit(int i) {
        WeightGroup<T> g = groups.get(i);
        residentBytes += g.bytes();
        peakResidentBytes = Math.max(peakResidentBytes, residentBytes);
        futures.set(i, io.submit(() -> {
            long t0 = System.nanoTime();
            T v = g.load();
            loadNanos.addAndGet(System.nanoTime() - t0);
            bytesLoaded.addAndGet(g.bytes());
            loads.incrementAndGet();
            return v;
        }));
    }

    /** Releases streamed groups other than {@code i} (stale prefetches of an abandoned pass) until {@code i} fits. */
    private void makeRoom(int i) {
        for (int j = resident; j < groups.size() && residentBytes + groups.get(i).bytes() > budget; j++) {
            if (j != i && futures.get(j) != null) {
                release(j);
            }
        }
    }

    private T await(int i) {
        Future<T> f = futures.get(i);
        try {
            if (!f.isDone()) {
                long t0 = System.nanoTime();
                try {
                    return f.get();
                } finally {
                    stallNanos += System.nanoTime() - t0;
                    stalls++;
                }
            }
            return f.get();
        } catch (ExecutionException e) {
            forget(i);
            throw asCheckpointException(groups.get(i), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("interrupted while waiting for " + groups.get(i).name());
        }
    }

    private static CheckpointException asCheckpointException(WeightGroup<?> g, Throwable cause) {
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        if (cause instanceof CheckpointException) {
            return new CheckpointException(cause.getMessage(), cause);
        }
        if (cause instanceof UncheckedIOException && cause.getCause() != null) {
            return new CheckpointException(g.name() + ": " + cause.getCause().getMessage(), cause);
        }
        return new CheckpointException(g.name() + ": loading failed: " + cause, cause);
    }

    /** Drops group {@code i}: waits for a load in progress, closes what it produced. */
    private void release(int i) {
        Future<T> f = futures.get(i);
        forget(i);
        if (f == null) {
            return;
        }
        try {
            T v = f.get();
            if (v instanceof AutoCloseable) {
                ((AutoCloseable) v).close();
            }
        } catch (ExecutionException | CancellationException e) {
            // a failed prefetch that is no longer wanted: nothing to release
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new CheckpointException(groups.get(i).name() + ": releasing failed: " + e.getMessage(), e);
        }
    }

    private void forget(int i) {
        if (futures.get(i) != null) {
            futures.set(i, null);
            residentBytes -= groups.get(i).bytes();
        }
    }

    /** Counters so far. */
    public LoadStats stats() {
        return new LoadStats(bytesLoaded.get(), loads.get(), loadNanos.get(), stallNanos, stalls, peakResidentBytes,
                resident);
    }

    /** Stops the loading thread and releases every group. */
    @Override
    public void close() {
        io.shutdown();
        for (int i = 0; i < groups.size(); i++) {
            release(i);
        }
        try {
            io.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
