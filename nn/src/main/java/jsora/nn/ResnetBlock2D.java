package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;
import jsora.tensor.kernels.Elementwise;

/**
 * diffusers' ResnetBlock2D without a time embedding (as the VAE uses it):
 * {@code out = conv2(silu(norm2(conv1(silu(norm1(x)))))) + shortcut(x)}, where the shortcut is a 1×1 convolution
 * when the channel count changes and the identity otherwise (output_scale_factor 1).
 */
public final class ResnetBlock2D {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;

    /** {@code convShortcut} may be null (same channel count in and out). */
    public ResnetBlock2D(GroupNorm norm1, Conv2d conv1, GroupNorm norm2, Conv2d conv2, Conv2d convShortcut) {
        this.norm1 = norm1;
        this.conv1 = conv1;
        this.norm2 = norm2;
        this.conv2 = conv2;
        this.convShortcut = convShortcut;
    }

    /** x[N, C, H, W] → [N, O, H, W]; x is left unchanged. */
    public Tensor forward(Tensor x) {
        Tensor h = norm1.forward(x);
        Activations.silu(h, h);
        h = conv1.forward(h);
        norm2.forwardInPlace(h);
        Activations.silu(h, h);
        h = conv2.forward(h);
        Tensor residual = convShortcut == null ? x : convShortcut.forward(x);
        Elementwise.add(h, residual, h);
        return h;
    }
}
