package jsora.models.stdit;

import jsora.nn.LayerNorm;
import jsora.nn.Linear;
import jsora.tensor.Tensor;

/** PixArt's {@code T2IFinalLayer}: LN, modulation by {@code scale_shift_table} [2, C] + t (not t_block's output), Linear. */
final class FinalLayer {
    private final Tensor scaleShiftTable;
    private final Linear linear;
    private final LayerNorm norm = LayerNorm.noAffine(1e-6f);

    FinalLayer(Tensor scaleShiftTable, Linear linear) {
        this.scaleShiftTable = scaleShiftTable;
        this.linear = linear;
    }

    static FinalLayer load(Params p, STDiT3Config c) {
        int h = c.hiddenSize;
        int out = c.patchVolume() * c.outChannels();
        return new FinalLayer(p.tensor("scale_shift_table", 2, h),
                new Linear(p.weight("linear.weight", out, h), p.tensor("linear.bias", out)));
    }

    /** x [B, T·S, C] → [B, T·S, patch·outChannels]; t, t0 [B, C] (the shift and scale rows both add t). */
    Tensor forward(Tensor x, Tensor t, Tensor t0, boolean[][] xMask, int frames) {
        Modulation mod = Modulation.of(scaleShiftTable, repeat2(t), t0 == null ? null : repeat2(t0), xMask);
        Tensor h = norm.forward(x);
        mod.modulate(h, 0, 1, frames);
        return linear.forward(h);
    }

    /** t [B, C] → [B, 2·C] = (t, t). */
    private static Tensor repeat2(Tensor t) {
        int b = t.dim(0);
        int c = t.dim(1);
        Tensor out = Tensor.zeros(b, 2 * c);
        for (int i = 0; i < b; i++) {
            out.get(i).slice(0, c).copyFrom(t.get(i));
            out.get(i).slice(c, 2 * c).copyFrom(t.get(i));
        }
        return out;
    }
}
