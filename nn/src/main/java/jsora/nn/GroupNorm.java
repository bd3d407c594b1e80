package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Norms;

/** torch.nn.GroupNorm over [N, C, *]: statistics per (sample, group of C/groups channels), then a per-channel affine. */
public final class GroupNorm {
    private final int groups;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(int groups, float eps, Tensor weight, Tensor bias) {
        if (weight.size() % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + weight.size() + " channels are not divisible into "
                    + groups + " groups");
        }
        this.groups = groups;
        this.eps = eps;
        this.weight = weight;
        this.bias = bias;
    }

    /** A new normalised tensor. */
    public Tensor forward(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        Norms.groupNorm(x, groups, weight, bias, eps, out);
        return out;
    }

    /** Normalises {@code x} in place and returns it. */
    public Tensor forwardInPlace(Tensor x) {
        Norms.groupNorm(x, groups, weight, bias, eps, x);
        return x;
    }
}
