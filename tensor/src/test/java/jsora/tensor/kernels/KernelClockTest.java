package jsora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import org.junit.jupiter.api.Test;

/** The kernels count the arithmetic they were asked for (the rates in generate's report are built on it). */
class KernelClockTest {
    @Test
    void countsGemmAttentionAndConvolutionFlops() {
        KernelClock.Totals before = KernelClock.totals();
        Gemm.linear(Tensor.zeros(7, 5), WeightTensor.convert(Tensor.zeros(3, 5), DType.F32), null, Tensor.zeros(7, 3));
        // batch 2, 3 heads, 4 queries, 6 keys of which 6 and 2 are valid, D 5, Dv 8
        Attention.sdpa(Tensor.zeros(2, 3, 4, 5), Tensor.zeros(2, 3, 6, 5), Tensor.zeros(2, 3, 6, 8),
                Tensor.zeros(2, 3, 4, 8), new Attention.Options().keyLengths(new int[] {6, 2}));
        // 1 sample, 2 → 4 channels, 3×3 kernel, 5×6 output (padding 1)
        Conv.conv2d(Tensor.zeros(1, 2, 5, 6), WeightTensor.convert(Tensor.zeros(4, 2, 3, 3), DType.F32), null, 1, 1,
                Tensor.zeros(1, 4, 5, 6));
        KernelClock.Totals work = KernelClock.totals().since(before);
        assertEquals(2L * 7 * 3 * 5, work.flops(KernelClock.Kernel.GEMM));
        assertEquals(2L * 3 * 4 * (6 + 2) * (5 + 8), work.flops(KernelClock.Kernel.ATTENTION));
        assertEquals(2L * 4 * 30 * 2 * 9, work.flops(KernelClock.Kernel.CONV));
        assertTrue(work.seconds(KernelClock.Kernel.GEMM) > 0);
    }
}
