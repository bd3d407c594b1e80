package jsora.models.vae;

import jsora.nn.CausalConv3d;
import jsora.nn.GroupNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * VAE_Temporal's Decoder: conv1 to the widest channels, {@code num_res_blocks} ResBlocks, then the levels in reverse,
 * each with ResBlocks and (above level 0) a time upsampling where the encoder downsampled: a causal conv to twice the
 * channels, rearranged depth-to-time ("B (C ts) T H W -> B C (T ts) H W", ts = 2, the fast index of the channel);
 * then GroupNorm, SiLU and conv_out.
 */
final class TemporalDecoder {
    private final CausalConv3d conv1;
    private final TemporalResBlock[] resBlocks;
    private final TemporalResBlock[][] blockResBlocks;
    private final CausalConv3d[] convBlocks;
    private final GroupNorm norm1;
    private final CausalConv3d convOut;

    TemporalDecoder(Params p, VaeConfig.Temporal c) {
        int levels = c.channelMultipliers().length;
        int g = c.numGroups();
        int filters = c.filters() * c.channelMultipliers()[levels - 1];
        Params c1 = p.child("conv1").child("conv");
        conv1 = new CausalConv3d(c1.weight("weight", filters, c.latentEmbedDim(), 3, 3, 3),
                c1.vector("bias", filters), 1);
        resBlocks = new TemporalResBlock[c.numResBlocks()];
        for (int j = 0; j < resBlocks.length; j++) {
            resBlocks[j] = new TemporalResBlock(p.child("res_blocks").child(j), filters, filters, g);
        }
        blockResBlocks = new TemporalResBlock[levels][c.numResBlocks()];
        convBlocks = new CausalConv3d[levels - 1];
        int prev = filters;
        for (int i = levels - 1; i >= 0; i--) {
            filters = c.filters() * c.channelMultipliers()[i];
            for (int j = 0; j < c.numResBlocks(); j++) {
                blockResBlocks[i][j] = new TemporalResBlock(p.child("block_res_blocks").child(i).child(j), prev,
                        filters, g);
                prev = filters;
            }
            if (i > 0 && c.temporalDownsample()[i - 1]) {
                Params cb = p.child("conv_blocks").child(i - 1).child("conv");
                convBlocks[i - 1] = new CausalConv3d(cb.weight("weight", 2 * prev, prev, 3, 3, 3),
                        cb.vector("bias", 2 * prev), 1);
            }
        }
        norm1 = new GroupNorm(g, 1e-5f, p.child("norm1").vector("weight", prev), p.child("norm1").vector("bias", prev));
        Params co = p.child("conv_out").child("conv");
        convOut = new CausalConv3d(co.weight("weight", c.inOutChannels(), filters, 3, 3, 3),
                co.vector("bias", c.inOutChannels()), 1);
    }

    /** z[B, latent, T, H, W] → [B, in_out, T·factor, H, W]; intermediates are tapped as "decoder.…". */
    Tensor forward(Tensor z, Taps taps) {
        Tensor h = conv1.forward(z);
        taps.tap("decoder.conv1", h);
        for (int j = 0; j < resBlocks.length; j++) {
            h = resBlocks[j].forward(h);
            taps.tap("decoder.res_blocks." + j, h);
        }
        for (int i = blockResBlocks.length - 1; i >= 0; i--) {
            for (int j = 0; j < blockResBlocks[i].length; j++) {
                h = blockResBlocks[i][j].forward(h);
                taps.tap("decoder.block_res_blocks." + i + "." + j, h);
            }
            if (i > 0 && convBlocks[i - 1] != null) {
                h = convBlocks[i - 1].forward(h);
                taps.tap("decoder.conv_blocks." + (i - 1), h);
                h = depthToTime(h);
            }
        }
        norm1.forwardInPlace(h);
        taps.tap("decoder.norm1", h);
        Activations.silu(h, h);
        h = convOut.forward(h);
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
