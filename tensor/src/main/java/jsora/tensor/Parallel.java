package jsora.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The one shared thread pool. Work is split into contiguous ranges of independent items, so every item is computed
 * by exactly one thread in the same arithmetic order whatever the thread count: results are bit-identical.
 * A call made from inside a parallel region runs serially on the calling thread (no nested blow-up).
 */
public final class Parallel {
    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {
    }

    private static int defaultThreads() {
        int n = SystemSettings.threads();
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads parallel regions use (the caller's thread included). */
    public static int threads() {
        return threads;
    }

    /** Threads a parallel region started by the caller would run on: 1 inside a region (it runs serially). */
    public static int available() {
        return INSIDE.get() ? 1 : threads;
    }

    /** Sets the thread count (e.g. from {@code --threads}); takes effect for the next parallel region. */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > SystemSettings.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1 to " + SystemSettings.MAX_THREADS + ", got " + n);
        }
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(r, "jsora-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** Runs {@code body.accept(i)} for every i in [0, n); items must be independent. */
    public static void forEach(int n, IntConsumer body) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }

    /** A half-open range of item indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Splits [0, n) into at most {@link #threads()} contiguous chunks (each at least {@code grain} items, except
     * possibly the last) and runs them concurrently.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int t = threads;
        int chunks = Math.min(t, (n + Math.max(1, grain) - 1) / Math.max(1, grain));
        if (chunks <= 1 || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        int per = (n + chunks - 1) / chunks;
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        ExecutorService p = pool();
        for (int c = 1; c < chunks; c++) {
            int from = c * per;
            int to = Math.min(n, from + per);
            if (from >= to) {
                break;
            }
            futures.add(p.submit(() -> {
                INSIDE.set(Boolean.TRUE);
                try {
                    body.run(from, to);
                } finally {
                    INSIDE.set(Boolean.FALSE);
                }
            }));
        }
        INSIDE.set(Boolean.TRUE);
        try {
            body.run(0, Math.min(n, per));
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                if (c instanceof Error) {
                    throw (Error) c;
                }
                throw new IllegalStateException(c);
            }
        }
    }
}
