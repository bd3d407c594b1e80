package jsora.models.vae;

import jsora.nn.CausalConv3d;
import jsora.nn.GroupNorm;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Activations;

/**
 * VAE_Temporal's Encoder: conv_in, per level {@code num_res_blocks} ResBlocks then (except after the last level) a
 * causal conv with time stride 2 where that level downsamples time (an identity otherwise), more ResBlocks, GroupNorm,
 * SiLU, and a 1×1×1 conv2 to 2·latent channels (mean and log-variance).
 */
final class TemporalEncoder {
    private final CausalConv3d convIn;
    private final TemporalResBlock[][] blockResBlocks;
    private final CausalConv3d[] convBlocks;
    private final TemporalResBlock[] resBlocks;
    private final GroupNorm norm1;
    private final CausalConv3d conv2;

    TemporalEncoder(Params p, VaeConfig.Temporal c) {
        int levels = c.channelMultipliers().length;
        int g = c.numGroups();
        convIn = new CausalConv3d(p.child("conv_in").child("conv").weight("weight", c.filters(), c.inOutChannels(),
                3, 3, 3), null, 1);
        blockResBlocks = new TemporalResBlock[levels][c.numResBlocks()];
        convBlocks = new CausalConv3d[levels - 1];
        int prev = c.filters();
        int filters = prev;
        for (int i = 0; i < levels; i++) {
            filters = c.filters() * c.channelMultipliers()[i];
            for (int j = 0; j < c.numResBlocks(); j++) {
                blockResBlocks[i][j] = new TemporalResBlock(p.child("block_res_blocks").child(i).child(j), prev,
                        filters, g);
                prev = filters;
            }
            if (i < levels - 1 && c.temporalDownsample()[i]) {
                Params cb = p.child("conv_blocks").child(i).child("conv");
                convBlocks[i] = new CausalConv3d(cb.weight("weight", filters, prev, 3, 3, 3),
                        cb.vector("bias", filters), 2);
            }
        }
        resBlocks = new TemporalResBlock[c.numResBlocks()];
        for (int j = 0; j < resBlocks.length; j++) {
            resBlocks[j] = new TemporalResBlock(p.child("res_blocks").child(j), prev, filters, g);
        }
        norm1 = new GroupNorm(g, 1e-5f, p.child("norm1").vector("weight", filters),
                p.child("norm1").vector("bias", filters));
        Params c2 = p.child("conv2").child("conv");
        conv2 = new CausalConv3d(c2.weight("weight", 2 * c.latentEmbedDim(), filters, 1, 1, 1),
                c2.vector("bias", 2 * c.latentEmbedDim()), 1);
    }

    Tensor forward(Tensor x) {
        Tensor h = convIn.forward(x);
        for (int i = 0; i < blockResBlocks.length; i++) {
            for (TemporalResBlock b : blockResBlocks[i]) {
                h = b.forward(h);
            }
            if (i < convBlocks.length && convBlocks[i] != null) {
                h = convBlocks[i].forward(h);
            }
        }
        for (TemporalResBlock b : resBlocks) {
            h = b.forward(h);
        }
        norm1.forwardInPlace(h);
        Activations.silu(h, h);
        return conv2.forward(h);
    }
}
