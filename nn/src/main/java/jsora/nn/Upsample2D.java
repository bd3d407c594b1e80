package jsora.nn;

import jsora.tensor.Tensor;
import jsora.tensor.kernels.Upsample;

/** diffusers' Upsample2D with a convolution: nearest-neighbour ×2 in height and width, then a 3×3 convolution. */
public final class Upsample2D {
    private final Conv2d conv;

    public Upsample2D(Conv2d conv) {
        this.conv = conv;
    }

    /** x[N, C, H, W] → [N, O, 2H, 2W]. */
    public Tensor forward(Tensor x) {
        Tensor up = Tensor.zeros(x.dim(0), x.dim(1), 2 * x.dim(2), 2 * x.dim(3));
        Upsample.nearest2d(x, 2, up);
        return conv.forward(up);
    }
}
