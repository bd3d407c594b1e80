package jsora.nn;

import java.util.Arrays;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Gemm;

/** torch.nn.Linear: {@code y = x·Wᵀ + b} with W [out, in] kept as stored (fp32, bf16 or fp16). */
public final class Linear {
    private final WeightTensor weight;
    private final Tensor bias;

    /** {@code bias} [out] or null. */
    public Linear(WeightTensor weight, Tensor bias) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("Linear weight must be [out, in], got " + Arrays.toString(weight.shape()));
        }
        if (bias != null && bias.size() != weight.dim(0)) {
            throw new IllegalArgumentException("Linear bias " + bias + " does not match weight " + weight);
        }
        this.weight = weight;
        this.bias = bias;
    }

    public int inFeatures() {
        return weight.dim(1);
    }

    public int outFeatures() {
        return weight.dim(0);
    }

    public WeightTensor weight() {
        return weight;
    }

    /** A new tensor [..., out] for x [..., in]. */
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        shape[shape.length - 1] = outFeatures();
        Tensor y = Tensor.zeros(shape);
        forward(x, y);
        return y;
    }

    /** Writes into {@code y} [..., out]. */
    public void forward(Tensor x, Tensor y) {
        if (x.dim(-1) != inFeatures()) {
            throw new IllegalArgumentException("Linear expects " + inFeatures() + " input features, got " + x);
        }
        Gemm.linear(x, weight, bias, y);
    }
}
