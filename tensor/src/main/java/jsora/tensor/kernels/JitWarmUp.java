package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

/**
 * Runs the GEMM micro-kernel and attention's softmax ({@link Attention#softmaxColumns}) many times on short inputs
 * before any real work, so that the JIT compiles each whole from these calls. Left to the first real calls (sums of
 * hundreds of steps), the interpreter spends so long in its k loop that the JIT compiles the loop alone first
 * (on-stack replacement), and the method compiled after that ran 2–3× slower in about half of the JVM runs measured
 * (BENCHMARKS.md, "The slow JIT state"). The warm-up runs once per JVM, from the first call of a GEMM, convolution or
 * attention, outside any class initializer of the kernels themselves (code compiled while its class is being
 * initialized stayed slow).
 */
final class JitWarmUp {
    /** Calls of each (about 0.5 s in all on the Intel host of BENCHMARKS.md). */
    private static final int CALLS = 30_000;
    private static final boolean DONE = run();

    private JitWarmUp() {
    }

    /** Makes sure the warm-up has run (the first call runs it). */
    static boolean ensure() {
        return DONE;
    }

    private static boolean run() {
        int mr = GemmMicroKernel.MR;
        int nr = GemmMicroKernel.nr();
        float[] a = new float[2 * mr];
        float[] b = new float[2 * nr];
        float[] c = new float[mr * nr];
        int l = SPECIES.length();
        float[] scores = new float[2 * l];
        float[] max = new float[l];
        float[] denominator = new float[l];
        float[] alpha = new float[l];
        for (int i = 0; i < CALLS; i++) {
            GemmMicroKernel.tile(2, a, 0, mr, b, 0, nr, c, 0, nr);
            Attention.softmaxColumns(scores, l, 2, l, max, denominator, alpha);
        }
        return true;
    }
}
