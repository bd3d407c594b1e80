package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import jsora.tensor.kernels.KernelClock;
import org.junit.jupiter.api.Test;

/** The report's "kernel rates" line: three significant digits, so that a tiny model's rates do not print as 0.0. */
class KernelRatesTest {
    @Test
    void ratesKeepThreeDigitsAndSkipKernelsThatDidNothing() {
        Map<String, KernelClock.Totals> stages = new LinkedHashMap<>();
        // GEMM, CONV, ATTENTION: flops and nanoseconds
        stages.put("text", new KernelClock.Totals(new long[] {95_200_000_000L, 0, 0}, new long[] {1_000_000_000L, 0, 0}));
        stages.put("decode", new KernelClock.Totals(new long[] {0, 31_200_000L, 0}, new long[] {0, 1_000_000_000L, 0}));
        stages.put("write", new KernelClock.Totals(new long[3], new long[3]));
        assertEquals("text gemm 95.2 GFLOP/s over 1.0 s; decode conv 0.0312 GFLOP/s over 1.0 s",
                KernelRates.line(stages));
        assertEquals("1230", KernelRates.threeDigits(1234.5), "no exponent above 999");
        assertEquals("197", KernelRates.threeDigits(197.04));
    }
}
