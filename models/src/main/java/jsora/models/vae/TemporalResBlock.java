package jsora.models.vae;

import jsora.nn.CausalConv3d;
import jsora.nn.GroupNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;
import jsora.tensor.kernels.Elementwise;

/**
 * Open-Sora's temporal ResBlock (vae_temporal.py): GroupNorm (eps 1e-5) → SiLU → causal 3×3×3 conv → GroupNorm →
 * SiLU → causal 3×3×3 conv, plus the input (through a 1×1×1 conv3 when the channel count changes). No conv biases.
 */
final class TemporalResBlock {
    private static final float EPS = 1e-5f;
    private final GroupNorm norm1;
    private final CausalConv3d conv1;
    private final GroupNorm norm2;
    private final CausalConv3d conv2;
    private final CausalConv3d conv3;

    TemporalResBlock(Params p, int in, int filters, int groups) {
        norm1 = new GroupNorm(groups, EPS, p.child("norm1").vector("weight", in), p.child("norm1").vector("bias", in));
        conv1 = new CausalConv3d(p.child("conv1").child("conv").weight("weight", filters, in, 3, 3, 3), null, 1);
        norm2 = new GroupNorm(groups, EPS, p.child("norm2").vector("weight", filters),
                p.child("norm2").vector("bias", filters));
        conv2 = new CausalConv3d(p.child("conv2").child("conv").weight("weight", filters, filters, 3, 3, 3), null, 1);
        conv3 = in == filters ? null
                : new CausalConv3d(p.child("conv3").child("conv").weight("weight", filters, in, 1, 1, 1), null, 1);
    }

    Tensor forward(Tensor x) {
        Tensor h = norm1.forward(x);
        Activations.silu(h, h);
        h = conv1.forward(h);
        norm2.forwardInPlace(h);
        Activations.silu(h, h);
        h = conv2.forward(h);
        Elementwise.add(h, conv3 == null ? x : conv3.forward(x), h);
        return h;
    }
}
