package jsora.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;

/** One line saying what a run computes with: vector width, threads, JDK and CPU architecture. */
public final class RunEnvironment {
    private RunEnvironment() {
    }

    /**
     * e.g. {@code vectorBits=128 (hardware 128) threads=8 java=17.0.9 (OpenJDK 64-Bit Server VM) arch=aarch64
     * UseSVE=0}. On AArch64 the line ends with the JIT's {@code UseSVE} level: above 0 the kernels use their SVE
     * formulations (JDK 17 compiles parts of the Vector API for NEON only; README, "Threads and vector width").
     */
    public static String describe() {
        String arch = System.getProperty("os.arch");
        String line = "vectorBits=" + Simd.bits() + " (hardware " + Simd.maxBits() + ") threads=" + Parallel.threads()
                + " java=" + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
                + " arch=" + arch;
        return arch.equals("aarch64") ? line + " UseSVE=" + vmOption("UseSVE") : line;
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
