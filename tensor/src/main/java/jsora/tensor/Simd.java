package jsora.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Chooses the float vector species kernels use. The machine's preferred width unless the system property
 * {@code jsora.vectorBits} (64, 128, 256 or 512) asks for another; kernels also take a species parameter so tests
 * can run every width. The preferred width is the hardware's: 128 bits on NEON, the vector length on SVE, 256/512 on
 * x86. It is never capped: on JDK 17 a species narrower than the SVE length falls back to per-lane Java
 * ({@code -XX:UseSVE=0} makes the JIT use NEON at 128 bits instead; README).
 */
public final class Simd {
    private static volatile VectorSpecies<Float> species = initial();

    private Simd() {
    }

    private static VectorSpecies<Float> initial() {
        int bits = SystemSettings.vectorBits();
        return bits == 0 ? FloatVector.SPECIES_PREFERRED : ofBits(bits);
    }

    /** The species kernels use by default. */
    public static VectorSpecies<Float> species() {
        return species;
    }

    public static void setBits(int bits) {
        species = ofBits(bits);
    }

    public static VectorSpecies<Float> ofBits(int bits) {
        switch (bits) {
            case 64:
                return FloatVector.SPECIES_64;
            case 128:
                return FloatVector.SPECIES_128;
            case 256:
                return FloatVector.SPECIES_256;
            case 512:
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalArgumentException("vector width must be 64, 128, 256 or 512 bits, got " + bits);
        }
    }

    /** Width in bits of the default species. */
    public static int bits() {
        return species.vectorBitSize();
    }

    /** Widest width the hardware runs natively. */
    public static int maxBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }
}
