package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Conv;

/**
 * torch.nn.Conv2d with zero padding: weight [O, C, kh, kw], optional bias [O], one stride for both axes, and padding
 * {top, bottom, left, right} (symmetric in torch; asymmetric where a caller pads first, as diffusers' Downsample2D
 * does with one zero row at the bottom and one column at the right).
 */
public final class Conv2d {
    private final WeightTensor weight;
    private final Tensor bias;
    private final int stride;
    private final int[] pad;

    public Conv2d(WeightTensor weight, Tensor bias, int stride, int top, int bottom, int left, int right) {
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("Conv2d weight must be [O, C, kh, kw], got " + weight);
        }
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.pad = new int[] {0, 0, top, bottom, left, right};
    }

    /** Stride 1 with "same" padding k/2 on every side, the common 1×1 / 3×3 case. */
    public static Conv2d same(WeightTensor weight, Tensor bias) {
        int p = weight.dim(2) / 2;
        return new Conv2d(weight, bias, 1, p, p, weight.dim(3) / 2, weight.dim(3) / 2);
    }

    public int outChannels() {
        return weight.dim(0);
    }

    /** x[N, C, H, W] → [N, O, H', W']. */
    public Tensor forward(Tensor x) {
        int oh = (x.dim(2) + pad[2] + pad[3] - weight.dim(2)) / stride + 1;
        int ow = (x.dim(3) + pad[4] + pad[5] - weight.dim(3)) / stride + 1;
        Tensor out = Tensor.zeros(x.dim(0), weight.dim(0), oh, ow);
        Conv.conv3d(x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)), weight, 1, bias,
                new int[] {1, stride, stride}, pad, out.reshape(x.dim(0), weight.dim(0), 1, oh, ow));
        return out;
    }
}
