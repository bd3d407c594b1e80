package jsora.cli;

import jsora.tensor.Parallel;
import jsora.tensor.Simd;

/** One line saying what a run computes with: vector width, threads, JDK and CPU architecture. */
public final class RunEnvironment {
    private RunEnvironment() {
    }

    /** e.g. {@code vectorBits=128 (hardware 128) threads=8 java=17.0.9 (OpenJDK 64-Bit Server VM) arch=aarch64}. */
    public static String describe() {
        return "vectorBits=" + Simd.bits() + " (hardware " + Simd.maxBits() + ") threads=" + Parallel.threads()
                + " java=" + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
                + " arch=" + System.getProperty("os.arch");
    }
}
