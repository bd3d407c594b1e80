package jsora.models.vae;

import jsora.nn.Conv2d;
import jsora.nn.GroupNorm;
import jsora.nn.ResnetBlock2D;
import jsora.nn.Upsample2D;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * diffusers' VAE Decoder: conv_in, mid block, then UpDecoderBlock2Ds from the widest channels down, each with
 * layers_per_block + 1 ResnetBlock2Ds and (except the last) a nearest ×2 upsample with a 3×3 conv; conv_norm_out,
 * SiLU, conv_out.
 */
final class SpatialDecoder {
    private final Conv2d convIn;
    private final MidBlock2D midBlock;
    private final ResnetBlock2D[][] upResnets;
    private final Upsample2D[] upsamplers;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    SpatialDecoder(Params p, VaeConfig.Spatial c) {
        int[] ch = c.blockOutChannels();
        int n = ch.length;
        int g = c.normNumGroups();
        convIn = SpatialLayers.conv(p.child("conv_in"), ch[n - 1], c.latentChannels(), 3);
        midBlock = new MidBlock2D(p.child("mid_block"), ch[n - 1], g);
        upResnets = new ResnetBlock2D[n][c.layersPerBlock() + 1];
        upsamplers = new Upsample2D[n - 1];
        int prev = ch[n - 1];
        for (int i = 0; i < n; i++) {
            int out = ch[n - 1 - i];
            Params block = p.child("up_blocks").child(i);
            for (int j = 0; j < upResnets[i].length; j++) {
                upResnets[i][j] = SpatialLayers.resnet(block.child("resnets").child(j), j == 0 ? prev : out, out, g);
            }
            if (i < n - 1) {
                upsamplers[i] = new Upsample2D(SpatialLayers.conv(block.child("upsamplers").child(0).child("conv"),
                        out, out, 3));
            }
            prev = out;
        }
        convNormOut = SpatialLayers.norm(p.child("conv_norm_out"), g, ch[0]);
        convOut = SpatialLayers.conv(p.child("conv_out"), c.outChannels(), ch[0], 3);
    }

    /** z[N, latent, h, w] → [N, out, 2^(levels−1)·h, …]; intermediates tapped as "decoder.…". */
    Tensor forward(Tensor z, Taps taps) {
        Tensor h = convIn.forward(z);
        taps.tap("decoder.conv_in", h);
        h = midBlock.forward(h);
        taps.tap("decoder.mid_block", h);
        for (int i = 0; i < upResnets.length; i++) {
            for (ResnetBlock2D r : upResnets[i]) {
                h = r.forward(h);
            }
            if (i < upsamplers.length) {
                h = upsamplers[i].forward(h);
            }
            taps.tap("decoder.up_blocks." + i, h);
        }
        convNormOut.forwardInPlace(h);
        taps.tap("decoder.conv_norm_out", h);
        Activations.silu(h, h);
        h = convOut.forward(h);
        taps.tap("decoder.conv_out", h);
        return h;
    }
}
