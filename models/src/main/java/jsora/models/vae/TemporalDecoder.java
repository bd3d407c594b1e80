package jsora.models.vae;

import java.util.ArrayList;
import java.util.List;
import jsora.models.Taps;
import jsora.nn.CausalConv3d;
import jsora.nn.GroupNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * VAE_Temporal's Decoder: conv1 to the widest channels, {@code num_res_blocks} ResBlocks, then the levels in reverse,
 * each with ResBlocks and (above level 0) a time upsampling where the encoder downsampled: a causal conv to twice the
 * channels, rearranged depth-to-time ("B (C ts) T H W -> B C (T ts) H W", ts = 2, the fast index of the channel);
 * then GroupNorm, SiLU and conv_out. Layers are resident or streamed ({@link Part}).
 */
final class TemporalDecoder {
    private final Part<CausalConv3d> conv1;
    private final List<Part<TemporalResBlock>> resBlocks = new ArrayList<>();
    private final List<List<Part<TemporalResBlock>>> blockResBlocks = new ArrayList<>();
    private final List<Part<CausalConv3d>> convBlocks = new ArrayList<>();
    private final GroupNorm norm1;
    private final Part<CausalConv3d> convOut;

    TemporalDecoder(Params p, VaeConfig.Temporal c, boolean resident) {
        int levels = c.channelMultipliers().length;
        int g = c.numGroups();
        int top = c.filters() * c.channelMultipliers()[levels - 1];
        conv1 = Part.of(() -> conv(p.child("conv1"), top, c.latentEmbedDim(), 3), resident);
        for (int j = 0; j < c.numResBlocks(); j++) {
            Params rp = p.child("res_blocks").child(j);
            resBlocks.add(Part.of(() -> new TemporalResBlock(rp, top, top, g), resident));
        }
        for (int i = 0; i < levels; i++) {
            blockResBlocks.add(new ArrayList<>());
            convBlocks.add(null);
        }
        int prev = top;
        int filters = top;
        for (int i = levels - 1; i >= 0; i--) {
            filters = c.filters() * c.channelMultipliers()[i];
            for (int j = 0; j < c.numResBlocks(); j++) {
                Params rp = p.child("block_res_blocks").child(i).child(j);
                int in = prev;
                int out = filters;
                blockResBlocks.get(i).add(Part.of(() -> new TemporalResBlock(rp, in, out, g), resident));
                prev = filters;
            }
            if (i > 0 && c.temporalDownsample()[i - 1]) {
                Params cp = p.child("conv_blocks").child(i - 1);
                int ch = prev;
                convBlocks.set(i - 1, Part.of(() -> conv(cp, 2 * ch, ch, 3), resident));
            }
        }
        norm1 = new GroupNorm(g, 1e-5f, p.child("norm1").vector("weight", prev), p.child("norm1").vector("bias", prev));
        int last = filters;
        convOut = Part.of(() -> conv(p.child("conv_out"), c.inOutChannels(), last, 3), resident);
    }

    /** A CausalConv3d with bias, stride 1, under "name.conv". */
    private static CausalConv3d conv(Params p, int out, int in, int k) {
        Params c = p.child("conv");
        return new CausalConv3d(c.weight("weight", out, in, k, k, k), c.vector("bias", out), 1);
    }

    /** z[B, latent, T, H, W] → [B, in_out, T·factor, H, W]; intermediates are tapped as "decoder.…". */
    Tensor forward(Tensor z, Taps taps) {
        Tensor h = conv1.get().forward(z);
        taps.tap("decoder.conv1", h);
        for (int j = 0; j < resBlocks.size(); j++) {
            h = resBlocks.get(j).get().forward(h);
            taps.tap("decoder.res_blocks." + j, h);
        }
        for (int i = blockResBlocks.size() - 1; i >= 0; i--) {
            for (int j = 0; j < blockResBlocks.get(i).size(); j++) {
                h = blockResBlocks.get(i).get(j).get().forward(h);
                taps.tap("decoder.block_res_blocks." + i + "." + j, h);
            }
            if (i > 0 && convBlocks.get(i - 1) != null) {
                h = convBlocks.get(i - 1).get().forward(h);
                taps.tap("decoder.conv_blocks." + (i - 1), h);
                h = depthToTime(h);
            }
        }
        norm1.forwardInPlace(h);
        taps.tap("decoder.norm1", h);
        Activations.silu(h, h);
        h = convOut.get().forward(h);
        taps.tap("decoder.conv_out", h);
        return h;
    }

    /** [B, 2C, T, H, W] → [B, C, 2T, H, W]: out[b, c, 2t + s] = in[b, 2c + s, t]. */
    private static Tensor depthToTime(Tensor x) {
        int b = x.dim(0);
        int c = x.dim(1) / 2;
        int t = x.dim(2);
        int plane = x.dim(3) * x.dim(4);
        Tensor out = Tensor.zeros(b, c, 2 * t, x.dim(3), x.dim(4));
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                for (int s = 0; s < 2; s++) {
                    for (int ti = 0; ti < t; ti++) {
                        System.arraycopy(x.data(), x.offset() + ((bi * 2 * c + 2 * ci + s) * t + ti) * plane,
                                out.data(), ((bi * c + ci) * 2 * t + 2 * ti + s) * plane, plane);
                    }
                }
            }
        }
        return out;
    }
}
