package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Conv;

/**
 * Open-Sora's CausalConv3d (vae_temporal.py): a Conv3d over [N, C, T, H, W] whose time axis is padded on the past
 * side only, with {@code kt − 1 + 1 − strideT} zero frames, so output frame t sees input frames ≤ t·strideT; height
 * and width are padded by k/2 zeros on both sides (the reference pads with mode "constant", value 0). Stride applies
 * to time only.
 */
public final class CausalConv3d {
    private final WeightTensor weight;
    private final Tensor bias;
    private final int timeStride;
    private final int[] pad;

    public CausalConv3d(WeightTensor weight, Tensor bias, int timeStride) {
        if (weight.rank() != 5) {
            throw new IllegalArgumentException("CausalConv3d weight must be [O, C, kt, kh, kw], got " + weight);
        }
        int kt = weight.dim(2);
        int kh = weight.dim(3);
        int kw = weight.dim(4);
        if (kh % 2 == 0 || kw % 2 == 0) {
            throw new IllegalArgumentException("CausalConv3d needs odd height/width kernels, got " + weight);
        }
        int timePad = kt - 1 + 1 - timeStride;
        if (timePad < 0) {
            throw new IllegalArgumentException("CausalConv3d time stride " + timeStride + " exceeds kernel " + kt);
        }
        this.weight = weight;
        this.bias = bias;
        this.timeStride = timeStride;
        this.pad = new int[] {timePad, 0, kh / 2, kh / 2, kw / 2, kw / 2};
    }

    public int outChannels() {
        return weight.dim(0);
    }

    /** x[N, C, T, H, W] → [N, O, (T + pad − kt)/strideT + 1, H, W]. */
    public Tensor forward(Tensor x) {
        int kt = weight.dim(2);
        int ot = (x.dim(2) + pad[0] - kt) / timeStride + 1;
        Tensor out = Tensor.zeros(x.dim(0), weight.dim(0), ot, x.dim(3), x.dim(4));
        Conv.conv3d(x, weight, kt, bias, new int[] {timeStride, 1, 1}, pad, out);
        return out;
    }
}
