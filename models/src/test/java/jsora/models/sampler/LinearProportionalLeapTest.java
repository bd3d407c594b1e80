package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jsora.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearProportionalLeapTest {

    /** Velocities [1, 1, 1, 1, 2] whose consecutive cosine similarities are the given values. */
    static Tensor[] velocitiesWithCosines(double... cos) {
        Tensor[] v = new Tensor[cos.length + 1];
        double angle = 0.3;
        v[0] = unit(angle);
        for (int i = 0; i < cos.length; i++) {
            angle += Math.acos(cos[i]);
            v[i + 1] = unit(angle);
        }
        return v;
    }

    static Tensor unit(double angle) {
        return Tensor.wrap(new float[] {(float) (2 * Math.cos(angle)), (float) (2 * Math.sin(angle))}, new int[] {1, 1, 1, 1, 2});
    }

    /** Runs the rule over the velocities and returns the step at which it leapt, or -1. */
    static int leapStep(LinearProportionalLeap lpl, Tensor[] v) {
        for (int i = 0; i < v.length; i++) {
            if (lpl.observe(v[i], i)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void leapsAfterPatienceRunsOutWithoutImprovement() {
        // the similarities of the rflow-lpl golden run: best rises at steps 2 and 3, then three steps without gain
        Tensor[] v = velocitiesWithCosines(0.5367, 0.8616, 0.9619, 0.7877, 0.9246, 0.8945);
        assertEquals(6, leapStep(new LinearProportionalLeap(2, 3, 1e-3f), v));
    }

    @Test
    void similaritiesBeforeTheMinimumStepDoNotCount() {
        Tensor[] v = velocitiesWithCosines(0.5, 0.4, 0.3, 0.2, 0.1, 0.05);
        assertEquals(-1, leapStep(new LinearProportionalLeap(14, 3, 1e-3f), v));
        // from step 3 on: best 0.3, then three steps without gain
        assertEquals(6, leapStep(new LinearProportionalLeap(3, 3, 1e-3f), v));
    }

    @Test
    void anImprovementSmallerThanTheToleranceDoesNotRenewPatience() {
        Tensor[] v = velocitiesWithCosines(0.9, 0.9005, 0.9009, 0.9008);
        assertEquals(4, leapStep(new LinearProportionalLeap(1, 3, 1e-3f), v));
        assertEquals(-1, leapStep(new LinearProportionalLeap(1, 3, 1e-4f), velocitiesWithCosines(0.9, 0.9005,
                0.9009, 0.9008)));
    }

    @Test
    void reportsTheSimilarity() {
        LinearProportionalLeap lpl = new LinearProportionalLeap(1, 3, 1e-3f);
        Tensor[] v = velocitiesWithCosines(0.75);
        assertFalse(lpl.observe(v[0], 0));
        assertTrue(Float.isNaN(lpl.lastCos()));
        lpl.observe(v[1], 1);
        assertEquals(0.75f, lpl.lastCos(), 1e-6f);
    }

    @Test
    void meanRowCosineAveragesRowsAndSurvivesZeroRows() {
        float[] a = {1, 0, 0, 0};
        float[] b = {1, 0, 0, 5};
        // row 0: cos 1; row 1: a is zero so its norm is clamped to eps and the cosine is 0
        assertEquals(0.5f, LinearProportionalLeap.meanRowCosine(a, b, 2, 2), 1e-7f);
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new LinearProportionalLeap(0, 3, 1e-3f));
        assertThrows(IllegalArgumentException.class, () -> new LinearProportionalLeap(2, 0, 1e-3f));
        assertThrows(IllegalArgumentException.class, () -> new LinearProportionalLeap(2, 3, Float.NaN));
    }
}
