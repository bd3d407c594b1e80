package jsora.models.vae;

import java.util.ArrayList;
import java.util.List;
import jsora.models.Taps;
import jsora.nn.Conv2d;
import jsora.nn.GroupNorm;
import jsora.nn.ResnetBlock2D;
import jsora.nn.Upsample2D;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * diffusers' VAE Decoder: conv_in, mid block (resnet, attention, resnet), then UpDecoderBlock2Ds from the widest
 * channels down, each with layers_per_block + 1 ResnetBlock2Ds and (except the last) a nearest ×2 upsample with a
 * 3×3 conv; conv_norm_out, SiLU, conv_out. Layers are resident or streamed ({@link Part}).
 */
final class SpatialDecoder {
    private final Part<Conv2d> convIn;
    private final Part<MidBlock2D> midBlock;
    private final List<List<Part<ResnetBlock2D>>> upResnets = new ArrayList<>();
    private final List<Part<Upsample2D>> upsamplers = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Part<Conv2d> convOut;

    SpatialDecoder(Params p, VaeConfig.Spatial c, boolean resident) {
        int[] ch = c.blockOutChannels();
        int n = ch.length;
        int g = c.normNumGroups();
        int top = ch[n - 1];
        convIn = Part.of(() -> SpatialLayers.conv(p.child("conv_in"), top, c.latentChannels(), 3), resident);
        midBlock = Part.of(() -> new MidBlock2D(p.child("mid_block"), top, g), resident);
        int prev = top;
        for (int i = 0; i < n; i++) {
            int out = ch[n - 1 - i];
            Params block = p.child("up_blocks").child(i);
            List<Part<ResnetBlock2D>> resnets = new ArrayList<>();
            for (int j = 0; j <= c.layersPerBlock(); j++) {
                Params rp = block.child("resnets").child(j);
                int in = j == 0 ? prev : out;
                resnets.add(Part.of(() -> SpatialLayers.resnet(rp, in, out, g), resident));
            }
            upResnets.add(resnets);
            if (i < n - 1) {
                Params up = block.child("upsamplers").child(0).child("conv");
                upsamplers.add(Part.of(() -> new Upsample2D(SpatialLayers.conv(up, out, out, 3)), resident));
            }
            prev = out;
        }
        convNormOut = SpatialLayers.norm(p.child("conv_norm_out"), g, ch[0]);
        convOut = Part.of(() -> SpatialLayers.conv(p.child("conv_out"), c.outChannels(), ch[0], 3), resident);
    }

    /** z[N, latent, h, w] → [N, out, 2^(levels−1)·h, …]; intermediates tapped as "decoder.…". */
    Tensor forward(Tensor z, Taps taps) {
        Tensor h = convIn.get().forward(z);
        taps.tap("decoder.conv_in", h);
        h = midBlock.get().forward(h);
        taps.tap("decoder.mid_block", h);
        for (int i = 0; i < upResnets.size(); i++) {
            for (Part<ResnetBlock2D> r : upResnets.get(i)) {
                h = r.get().forward(h);
            }
            if (i < upsamplers.size()) {
                h = upsamplers.get(i).get().forward(h);
            }
            taps.tap("decoder.up_blocks." + i, h);
        }
        convNormOut.forwardInPlace(h);
        taps.tap("decoder.conv_norm_out", h);
        Activations.silu(h, h);
        h = convOut.get().forward(h);
        taps.tap("decoder.conv_out", h);
        return h;
    }
}
