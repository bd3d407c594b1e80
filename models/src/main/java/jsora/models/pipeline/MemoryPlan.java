package jsora.models.pipeline;

import jsora.models.sampler.PixelSize;
import jsora.weights.MemoryBudget;

/**
 * How a memory budget for the whole process ({@code --memory}, a bound on its peak resident set) is shared out:
 * a reserve for what the JVM keeps outside the heap, the heap itself (the launcher starts the JVM with
 * {@code -Xmx} = {@link #heapFor}), and, in each stage, the heap left for weights once that stage's activations
 * and the collector's headroom are set aside. CI-DL then keeps as many blocks resident as the weight share allows
 * and streams the rest; the VAE decoder stays resident only where it fits beside its activations.
 *
 * <p>Without {@code --memory} the heap the JVM was given is the budget.
 */
public final class MemoryPlan {
    /**
     * Outside the heap: code cache, metaspace, GC tables, thread stacks, NIO buffers (measured: about 180 MB beside
     * a 3 GB heap with the parallel collector).
     */
    static final long NON_HEAP = 320L << 20;
    /**
     * A further share of the budget kept back (1/12): for what grows with the heap (card tables, collector data) and
     * so that a budget in binary gigabytes (3.3G = 3.54e9 bytes) also holds in decimal ones (3.3e9 bytes).
     */
    static final int MARGIN_DIVISOR = 12;
    /** The heap left free for the garbage collector to work in: a tenth of it. */
    static final double GC_HEADROOM = 0.10;
    /** Heap for one T5 encoder pass besides its blocks: the embedding rows, 300 × d_ff activations, the outputs. */
    static final long TEXT_ACTIVATIONS = 96L << 20;
    /**
     * Live activations of one STDiT3 block per token of the CFG batch, in units of hidden-size float32 vectors: the
     * residual stream, LayerNorm output, qkv and its head-split copy (3 + 3), the attention output and its projection,
     * and in the Mlp the 4× hidden layer (its peak is lower than attention's).
     */
    static final int STDIT_VECTORS_PER_TOKEN = 12;
    /**
     * STDiT3's resident weights besides its block pairs (patch, timestep, caption and fps embedders, null caption,
     * final layer: 74 MB in fp32) and the caption and RoPE tables of a step.
     */
    static final long STDIT_FIXED = 128L << 20;
    /** Heap for the VAE's spatial decoder on one 256×256 frame (measured peak with streamed weights: 384 MB). */
    static final long VAE_FRAME_256 = 384L << 20;

    private final long process;
    private final long heap;
    private final long weightCap;

    private MemoryPlan(long process, long heap, long weightCap) {
        this.process = process;
        this.heap = heap;
        this.weightCap = weightCap;
    }

    /** A plan for {@code processBytes} (0 = no budget: the heap given decides) in a JVM of {@code maxHeap}. */
    public static MemoryPlan of(long processBytes, long maxHeap) {
        if (processBytes < 0) {
            throw new IllegalArgumentException("memory budget must be >= 0, got " + processBytes);
        }
        long h = processBytes == 0 ? maxHeap : Math.min(maxHeap, heapFor(processBytes));
        if (h <= 0) {
            throw new IllegalArgumentException("--memory " + MemoryBudget.format(processBytes) + " leaves no heap: the "
                    + "JVM alone needs about " + MemoryBudget.format(NON_HEAP + processBytes / MARGIN_DIVISOR));
        }
        return new MemoryPlan(processBytes, h, Long.MAX_VALUE);
    }

    /** The plan for this JVM's heap ({@link Runtime#maxMemory}). */
    public static MemoryPlan forThisJvm(long processBytes) {
        return of(processBytes, Runtime.getRuntime().maxMemory());
    }

    /** This plan with every stage's resident weights capped at {@code bytes} (more streaming, less memory). */
    public MemoryPlan withWeightCap(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("weight budget must be > 0, got " + bytes);
        }
        return new MemoryPlan(process, heap, bytes);
    }

    /** The {@code -Xmx} for a process budget: what is left of it after the non-heap reserve and the margin. */
    public static long heapFor(long processBytes) {
        return processBytes - NON_HEAP - processBytes / MARGIN_DIVISOR;
    }

    /** The process budget in bytes, 0 if none was given. */
    public long process() {
        return process;
    }

    /** The heap this plan shares out. */
    public long heap() {
        return heap;
    }

    /** Heap the collector may fill with live data. */
    long usable() {
        return (long) (heap * (1 - GC_HEADROOM));
    }

    /** Bytes T5's streamed blocks may occupy (two blocks let block i+1 load while block i runs). */
    public long textWeights() {
        return Math.min(weightCap, weightsBeside(TEXT_ACTIVATIONS, "the text encoder"));
    }

    /** Bytes STDiT3's block pairs may occupy when sampling a video of {@code size}, with batch 2 (CFG). */
    public long denoiserWeights(PixelSize size, int hiddenSize) {
        return Math.min(weightCap, weightsBeside(denoiserActivations(size, hiddenSize), "STDiT3 at " + size.width()
                + "x" + size.height()));
    }

    /**
     * Live activations of STDiT3 on the CFG batch: tokens = T' · ⌈h/2⌉ · ⌈w/2⌉ for the latent's h × w (an odd side is
     * padded to whole 2×2 patches), both halves of the batch.
     */
    public static long denoiserActivations(PixelSize size, int hiddenSize) {
        int[] latent = LatentSize.of(size);
        long tokens = (long) latent[0] * ((latent[1] + 1) / 2) * ((latent[2] + 1) / 2);
        return STDIT_FIXED + 2L * tokens * hiddenSize * Float.BYTES * STDIT_VECTORS_PER_TOKEN;
    }

    /** Whether a VAE decoder of {@code weightBytes} stays resident for frames of {@code size}, or streams. */
    public boolean vaeResident(long weightBytes, PixelSize size) {
        return weightBytes <= weightCap && weightBytes + vaeActivations(size) <= usable();
    }

    /** One spatial frame's activations, scaled by its area from the 256×256 measurement, and the float32 video. */
    public static long vaeActivations(PixelSize size) {
        double area = size.width() * (double) size.height();
        return (long) (VAE_FRAME_256 * area / (256 * 256) + 3 * area * size.frames() * Float.BYTES);
    }

    private long weightsBeside(long activations, String stage) {
        long left = usable() - activations;
        if (left <= 0) {
            throw new IllegalArgumentException("memory: " + stage + " needs about " + MemoryBudget.format(activations)
                    + " of activations, more than the " + MemoryBudget.format(usable()) + " of heap this budget gives"
                    + " (raise --memory or use a smaller size)");
        }
        return left;
    }
}
