package jsora.models.vae;

import jsora.nn.ResnetBlock2D;
import jsora.nn.SelfAttention2D;
import jsora.tensor.Tensor;

/** diffusers' UNetMidBlock2D as the VAE uses it: resnets.0 → attentions.0 → resnets.1, all at one width. */
final class MidBlock2D {
    private final ResnetBlock2D resnet0;
    private final SelfAttention2D attention;
    private final ResnetBlock2D resnet1;

    MidBlock2D(Params p, int channels, int groups) {
        resnet0 = SpatialLayers.resnet(p.child("resnets").child(0), channels, channels, groups);
        attention = SpatialLayers.attention(p.child("attentions").child(0), channels, groups);
        resnet1 = SpatialLayers.resnet(p.child("resnets").child(1), channels, channels, groups);
    }

    Tensor forward(Tensor x) {
        return resnet1.forward(attention.forward(resnet0.forward(x)));
    }
}
