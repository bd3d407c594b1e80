package jsora.models.vae;

import jsora.nn.Conv2d;
import jsora.nn.GroupNorm;
import jsora.nn.ResnetBlock2D;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * diffusers' VAE Encoder: conv_in, DownEncoderBlock2Ds (layers_per_block ResnetBlock2Ds, then except for the last
 * block a Downsample2D: one zero row at the bottom and one zero column at the right, 3×3 conv with stride 2),
 * mid block, conv_norm_out, SiLU, conv_out to 2·latent channels (mean and log-variance).
 */
final class SpatialEncoder {
    private final Conv2d convIn;
    private final ResnetBlock2D[][] downResnets;
    private final Conv2d[] downsamplers;
    private final MidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    SpatialEncoder(Params p, VaeConfig.Spatial c) {
        int[] ch = c.blockOutChannels();
        int n = ch.length;
        int g = c.normNumGroups();
        convIn = SpatialLayers.conv(p.child("conv_in"), ch[0], c.inChannels(), 3);
        downResnets = new ResnetBlock2D[n][c.layersPerBlock()];
        downsamplers = new Conv2d[n - 1];
        int prev = ch[0];
        for (int i = 0; i < n; i++) {
            Params block = p.child("down_blocks").child(i);
            for (int j = 0; j < downResnets[i].length; j++) {
                downResnets[i][j] = SpatialLayers.resnet(block.child("resnets").child(j), j == 0 ? prev : ch[i],
                        ch[i], g);
            }
            if (i < n - 1) {
                Params conv = block.child("downsamplers").child(0).child("conv");
                downsamplers[i] = new Conv2d(conv.weight("weight", ch[i], ch[i], 3, 3), conv.vector("bias", ch[i]),
                        2, 0, 1, 0, 1);
            }
            prev = ch[i];
        }
        midBlock = new MidBlock2D(p.child("mid_block"), ch[n - 1], g);
        convNormOut = SpatialLayers.norm(p.child("conv_norm_out"), g, ch[n - 1]);
        convOut = SpatialLayers.conv(p.child("conv_out"), 2 * c.latentChannels(), ch[n - 1], 3);
    }

    Tensor forward(Tensor x) {
        Tensor h = convIn.forward(x);
        for (int i = 0; i < downResnets.length; i++) {
            for (ResnetBlock2D r : downResnets[i]) {
                h = r.forward(h);
            }
            if (i < downsamplers.length) {
                h = downsamplers[i].forward(h);
            }
        }
        h = midBlock.forward(h);
        convNormOut.forwardInPlace(h);
        Activations.silu(h, h);
        return convOut.forward(h);
    }
}
