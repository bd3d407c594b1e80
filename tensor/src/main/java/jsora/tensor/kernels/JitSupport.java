package jsora.tensor.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Which formulation of a kernel's Vector API code this JVM compiles to SIMD instructions, decided once. JDK 17's JIT
 * for SVE (AArch64 with {@code UseSVE} above 0) compiles arithmetic, shifts, loads and stores but not float↔int
 * reinterpretation, lane conversions, comparisons, blends, shuffles or min/max reductions: code using those runs per
 * lane in Java there (BENCHMARKS.md, "ARM64 under QEMU"). Every formulation gives the same bits, so the choice only
 * moves speed.
 */
final class JitSupport {
    private JitSupport() {
    }

    /** The JIT emits SVE code: kernels avoid reinterpretation, shuffles, compares and blends. */
    static final boolean SVE = usesSve();

    /**
     * {@link VMath#exp} builds 2ⁿ in the exponent bits (true) or with float arithmetic (false, on SVE). The system
     * property {@code jsora.exp} = {@code bits} or {@code arithmetic} overrides the choice, to measure either anywhere.
     */
    static final boolean EXP_BITS = expBits(System.getProperty("jsora.exp", "auto"));

    static boolean expBits(String choice) {
        switch (choice) {
            case "bits":
                return true;
            case "arithmetic":
                return false;
            case "auto":
                return !SVE;
            default:
                throw new IllegalArgumentException("jsora.exp must be auto, bits or arithmetic, got " + choice);
        }
    }

    /** True on AArch64 when the JIT emits SVE ({@code UseSVE} is 0 on NEON-only cores, or when set so). */
    private static boolean usesSve() {
        if (!System.getProperty("os.arch", "").equals("aarch64")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return !vm.getVMOption("UseSVE").getValue().equals("0");
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or no such option: no reason to expect SVE code
            return false;
        }
    }
}
