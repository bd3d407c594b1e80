package jsora.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector species every kernel uses: the machine's preferred width unless the system property
 * {@code jsora.vectorBits} (64, 128, 256 or 512) asks for another. The preferred width is the hardware's: 128 bits on
 * NEON, the vector length on SVE, 256/512 on x86. It is never capped: on JDK 17 a species narrower than the SVE length
 * falls back to per-lane Java ({@code -XX:UseSVE=0} makes the JIT use NEON at 128 bits instead; README).
 *
 * <p>It is fixed when this class loads and is a {@code static final} constant on purpose: C2 compiles a Vector API
 * call to machine code only where it can see the species as a constant. Passed as a parameter, the species is a
 * constant only where the kernel is inlined into a caller that holds it, and C2 then left some vector loads and stores
 * uncompiled, in some runs and not others, which made whole runs 2–5× slower (BENCHMARKS.md, "The slow JIT state").
 * Tests cover each width in a JVM of its own (the tensor module's Surefire executions).
 */
public final class Simd {
    public static final VectorSpecies<Float> SPECIES = initial();

    private Simd() {
    }

    private static VectorSpecies<Float> initial() {
        int bits = SystemSettings.vectorBits();
        switch (bits) {
            case 0:
                return FloatVector.SPECIES_PREFERRED;
            case 64:
                return FloatVector.SPECIES_64;
            case 128:
                return FloatVector.SPECIES_128;
            case 256:
                return FloatVector.SPECIES_256;
            case 512:
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalStateException("SystemSettings.vectorBits() let " + bits + " through");
        }
    }

    /** Width in bits of {@link #SPECIES}. */
    public static int bits() {
        return SPECIES.vectorBitSize();
    }

    /** Widest width the hardware runs natively. */
    public static int maxBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }
}
