package jsora.models.stdit;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;

/**
 * adaLN-single modulation (PixArt's {@code t2i_modulate}): per sample, rows of {@code scale_shift_table} plus the
 * projected timestep give shift/scale/gate vectors [C]. With an {@code x_mask}, frames whose mask is false use the
 * timestep-0 set instead ({@code t_mask_select}: conditioning frames are treated as clean).
 */
final class Modulation {
    private final Tensor main;
    private final Tensor zero;
    private final boolean[][] xMask;

    /** main, zero: [B, K, C] (zero may be null when there is no x_mask). */
    private Modulation(Tensor main, Tensor zero, boolean[][] xMask) {
        this.main = main;
        this.zero = zero;
        this.xMask = xMask;
    }

    /** table [K, C] + t [B, K·C] (and t0 when xMask is given). */
    static Modulation of(Tensor table, Tensor t, Tensor t0, boolean[][] xMask) {
        return new Modulation(add(table, t), xMask == null ? null : add(table, t0), xMask);
    }

    private static Tensor add(Tensor table, Tensor t) {
        int b = t.dim(0);
        Tensor out = Tensor.zeros(b, table.dim(0), table.dim(1));
        Elementwise.add(t.reshape(out.shape()), table, out);
        return out;
    }

    private Tensor vector(int b, int frame, int k) {
        Tensor set = xMask == null || xMask[b][frame] ? main : zero;
        return set.get(b).get(k);
    }

    /** x [B, T·S, C] ← x·(1 + scale_k) + shift_k per sample and frame, in place. */
    void modulate(Tensor x, int shift, int scale, int frames) {
        int b = x.dim(0);
        int s = x.dim(1) / frames;
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < frames; t++) {
                Tensor rows = x.get(bi).slice(t * s, (t + 1) * s);
                Elementwise.scaleShift(rows, vector(bi, t, scale), vector(bi, t, shift), rows);
            }
        }
    }

    /** x [B, T·S, C] += gate_k · branch, per sample and frame. */
    void addGated(Tensor x, Tensor branch, int gate, int frames) {
        int b = x.dim(0);
        int s = x.dim(1) / frames;
        Tensor br = branch.reshape(x.shape());
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < frames; t++) {
                Tensor rows = x.get(bi).slice(t * s, (t + 1) * s);
                Elementwise.addGated(rows, vector(bi, t, gate), br.get(bi).slice(t * s, (t + 1) * s), rows);
            }
        }
    }
}
