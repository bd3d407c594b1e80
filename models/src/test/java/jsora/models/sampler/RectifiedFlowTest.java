package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import jsora.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RectifiedFlowTest {
    static final PixelSize SIZE = new PixelSize(256, 256, 68);

    /** A model whose conditional output is {@code cond} and unconditional {@code uncond} everywhere, plus sigma. */
    static Denoiser constant(float cond, float uncond, List<Float> seen) {
        return (zIn, t, mask, step) -> {
            seen.add(t);
            int[] s = zIn.shape();
            s[1] *= 2;
            Tensor out = Tensor.zeros(s);
            int half = out.size() / 2;
            for (int i = 0; i < out.size(); i++) {
                out.data()[i] = i < half ? cond : uncond;
            }
            return out;
        };
    }

    @Test
    void eulerStepsIntegrateAConstantGuidedVelocityFromTheFirstTimestepToZero() {
        RectifiedFlow rf = new RectifiedFlow(RectifiedFlow.Config.openSora12().withSteps(5));
        Tensor z0 = TorchNoise.randn(1, 1, 4, 2, 2, 2);
        Tensor before = z0.copy();
        List<Float> seen = new ArrayList<>();
        List<SamplerStep> steps = new ArrayList<>();
        RectifiedFlow.Result r = rf.sample(constant(0.5f, 0.25f, seen), z0, SIZE, null, steps::add);
        float v = 0.25f + 7f * (0.5f - 0.25f);
        float[] ts = rf.schedule(SIZE);
        assertArrayEquals(before.toArray(), z0.toArray(), 0f, "input not modified");
        for (int i = 0; i < z0.size(); i++) {
            assertEquals(z0.data()[i] + v * ts[0] / 1000f, r.z().data()[i], 1e-5f);
        }
        assertEquals(5, r.modelCalls());
        assertEquals(-1, r.leapStep());
        assertEquals(5, steps.size());
        assertArrayEquals(ts, toArray(seen), 0f);
        assertArrayEquals(before.toArray(), steps.get(0).z().toArray(), 0f);
    }

    @Test
    void lplStopsCallingTheModelAfterTheLeapAndLandsOnZero() {
        // a constant velocity has cosine 1 every step: no improvement after the first counted step
        RectifiedFlow rf = new RectifiedFlow(RectifiedFlow.Config.onDeviceSora());
        Tensor z0 = TorchNoise.randn(2, 1, 4, 2, 2, 2);
        List<Float> seen = new ArrayList<>();
        RectifiedFlow.Result r = rf.sample(constant(1f, 1f, seen), z0, SIZE, new LinearProportionalLeap(3, 2, 1e-3f),
                null);
        // step 3: best = 1; steps 4 and 5: no gain -> leap at 5
        assertEquals(5, r.leapStep());
        assertEquals(6, seen.size());
        for (int i = 0; i < z0.size(); i++) {
            assertEquals(z0.data()[i] + rf.schedule(SIZE)[0] / 1000f, r.z().data()[i], 1e-5f);
        }
    }

    @Test
    void refusesFrameCountsTheReferenceMishandles() {
        RectifiedFlow rf = new RectifiedFlow(RectifiedFlow.Config.openSora12());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rf.sample(
                constant(0, 0, new ArrayList<>()), Tensor.zeros(1, 4, 3, 2, 2), new PixelSize(16, 16, 9), null, null));
        assertEquals("frames 9: Open-Sora 1.2's timestep transform makes every timestep 0 for 2 to 16 frames; "
                + "use 1 frame or at least 17", e.getMessage());
    }

    @Test
    void defaultsAreTheReferenceOnes() {
        RectifiedFlow.Config c = RectifiedFlow.Config.openSora12();
        assertEquals(30, c.steps());
        assertEquals(7.0f, c.cfgScale());
        assertEquals(false, c.discrete());
        assertEquals(true, RectifiedFlow.Config.onDeviceSora().discrete());
        LinearProportionalLeap l = LinearProportionalLeap.withDefaults();
        assertEquals(14, l.minimumSteps());
        assertEquals(3, l.patience());
        assertEquals(1e-3f, l.cosTolerance());
    }

    static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
