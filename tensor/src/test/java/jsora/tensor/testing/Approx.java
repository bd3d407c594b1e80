package jsora.tensor.testing;

import java.util.Arrays;
import jsora.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/** Tolerance checks that say where and by how much two tensors differ. */
public final class Approx {
    private Approx() {
    }

    /** Largest |a − b|. */
    public static double maxAbsDiff(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs((double) a.data()[a.offset() + i] - b.data()[b.offset() + i]));
        }
        return m;
    }

    public static double maxAbs(Tensor a) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.data()[a.offset() + i]));
        }
        return m;
    }

    /**
     * Fails unless shapes match and max|actual − expected| ≤ rel · max(1, max|expected|).
     * This is the golden READMEs' suggested form (1e-4 for single fp32 forwards).
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionFailedError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        double scale = Math.max(1.0, maxAbs(expected));
        double tol = rel * scale;
        int worst = -1;
        double worstDiff = -1;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[expected.offset() + i];
            double a = actual.data()[actual.offset() + i];
            double d = Double.isNaN(a) ? Double.POSITIVE_INFINITY : Math.abs(a - e);
            if (d > worstDiff) {
                worstDiff = d;
                worst = i;
            }
        }
        if (worstDiff > tol) {
            throw new AssertionFailedError(String.format("%s: max |diff| %.3g at flat index %d (expected %.6g, got %.6g), "
                    + "tolerance %.3g", what, worstDiff, worst, expected.data()[expected.offset() + worst],
                    actual.data()[actual.offset() + worst], tol));
        }
    }
}
