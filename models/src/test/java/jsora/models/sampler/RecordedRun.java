package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;

/**
 * One sampler run recorded in a golden case's io.safetensors under a prefix ({@code ""}, {@code "lpl."},
 * {@code "v12."}, ...): per step the latent entering it ({@code step<i>.z}), the timestep, the frame mask, the raw
 * model output and the guided velocity. {@link #replay} is a {@link Denoiser} that checks what the sampler hands it
 * against the recording and answers with the recorded model output, so the sampler's own arithmetic (schedule,
 * guidance, Euler, LPL) is tested without the network.
 */
final class RecordedRun {
    final SafeTensors io;
    final String prefix;
    final int steps;
    final List<String> checked = new ArrayList<>();
    double worstZ;

    RecordedRun(SafeTensors io, String prefix) {
        this.io = io;
        this.prefix = prefix;
        int n = 0;
        while (io.contains(prefix + "step" + n + ".z")) {
            n++;
        }
        this.steps = n;
    }

    Tensor z0() {
        return io.tensor(prefix + "step0.z");
    }

    Tensor step(int i, String what) {
        return io.tensor(prefix + "step" + i + "." + what);
    }

    private static long[] toLongs(Tensor t) {
        long[] v = new long[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) t.data()[t.offset() + i];
        }
        return v;
    }

    /** A denoiser that asserts its inputs match the recording (latent within {@code rel}) and replays the output. */
    Denoiser replay(double rel) {
        return (zIn, t, frameMask, step) -> {
            String where = prefix + "step" + step;
            Tensor z = step(step, "z");
            int b = z.dim(0);
            Approx.assertClose(where + ".z (cond rows)", z, zIn.slice(0, b), rel);
            Approx.assertClose(where + ".z (uncond rows)", z, zIn.slice(b, 2 * b), rel);
            worstZ = Math.max(worstZ, Approx.maxAbsDiff(z, zIn.slice(0, b)));
            Tensor tt = step(step, "t");
            for (int r = 0; r < tt.size(); r++) {
                assertEquals(tt.data()[r], t, 0f, where + ".t");
            }
            // x_mask [2B, T]: F32 0/1 in the rflow cases, U8 in e2e
            SafeTensors.Entry maskEntry = io.entry(where + ".x_mask");
            long[] mask = maskEntry.dtype.equals("F32") ? toLongs(io.tensor(where + ".x_mask"))
                    : io.longs(where + ".x_mask");
            int frames = maskEntry.shape[1];
            for (int r = 0; r < maskEntry.shape[0]; r++) {
                boolean[] expected = new boolean[frames];
                for (int f = 0; f < frames; f++) {
                    expected[f] = mask[r * frames + f] != 0;
                }
                assertArrayEquals(expected, frameMask, where + ".x_mask row " + r);
            }
            if (io.contains(where + ".step_kwarg")) {
                assertEquals(io.longs(where + ".step_kwarg")[0], step, where + ".step_kwarg");
            }
            checked.add(where);
            return step(step, "model_out");
        };
    }
}
