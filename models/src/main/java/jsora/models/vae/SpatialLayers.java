package jsora.models.vae;

import jsora.nn.Conv2d;
import jsora.nn.GroupNorm;
import jsora.nn.ResnetBlock2D;
import jsora.nn.SelfAttention2D;

/** Builds diffusers' AutoencoderKL layers from their checkpoint keys (all its GroupNorms use eps 1e-6). */
final class SpatialLayers {
    static final float EPS = 1e-6f;

    private SpatialLayers() {
    }

    /** A k×k convolution, stride 1, padding k/2, with bias. */
    static Conv2d conv(Params p, int out, int in, int k) {
        return Conv2d.same(p.weight("weight", out, in, k, k), p.vector("bias", out));
    }

    static GroupNorm norm(Params p, int groups, int channels) {
        return new GroupNorm(groups, EPS, p.vector("weight", channels), p.vector("bias", channels));
    }

    static ResnetBlock2D resnet(Params p, int in, int out, int groups) {
        return new ResnetBlock2D(norm(p.child("norm1"), groups, in), conv(p.child("conv1"), out, in, 3),
                norm(p.child("norm2"), groups, out), conv(p.child("conv2"), out, out, 3),
                in == out ? null : conv(p.child("conv_shortcut"), out, in, 1));
    }

    /** The mid block's attention: one head over all channels (attention_head_dim = channels). */
    static SelfAttention2D attention(Params p, int channels, int groups) {
        return new SelfAttention2D(norm(p.child("group_norm"), groups, channels), 1,
                p.child("to_q").weight("weight", channels, channels), p.child("to_q").vector("bias", channels),
                p.child("to_k").weight("weight", channels, channels), p.child("to_k").vector("bias", channels),
                p.child("to_v").weight("weight", channels, channels), p.child("to_v").vector("bias", channels),
                p.child("to_out").child(0).weight("weight", channels, channels),
                p.child("to_out").child(0).vector("bias", channels));
    }
}
