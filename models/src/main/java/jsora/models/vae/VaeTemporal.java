package jsora.models.vae;

import jsora.models.Taps;
import jsora.nn.CausalConv3d;
import jsora.tensor.Tensor;

/**
 * Open-Sora's VAE_Temporal: compresses time 4× with causal 3D convolutions over the spatial VAE's latents. The input
 * is zero-padded at the front of time to a multiple of 4 (encode), and as many leading frames are dropped after
 * decoding. Either half may be left unloaded, and the decoder streamed, to save memory.
 */
public final class VaeTemporal {
    private final VaeConfig.Temporal config;
    private final TemporalEncoder encoder;
    private final CausalConv3d quantConv;
    private final CausalConv3d postQuantConv;
    private final TemporalDecoder decoder;

    /**
     * {@code p} holds the "encoder.", "quant_conv.", "post_quant_conv.", "decoder." keys; the encoder half is loaded
     * only if {@code withEncoder}, the decoder half only if {@code withDecoder}.
     */
    public VaeTemporal(Params p, VaeConfig.Temporal c, boolean withEncoder, boolean withDecoder) {
        this(p, c, withEncoder, withDecoder, true);
    }

    /**
     * @param resident false: the decoder's layers are read from {@code p} each time they run (streamed), so
     *                 {@code p} must stay readable while this object is used
     */
    public VaeTemporal(Params p, VaeConfig.Temporal c, boolean withEncoder, boolean withDecoder, boolean resident) {
        config = c;
        int e = c.embedDim();
        int l = c.latentEmbedDim();
        if (withEncoder) {
            encoder = new TemporalEncoder(p.child("encoder"), c);
            Params q = p.child("quant_conv").child("conv");
            quantConv = new CausalConv3d(q.weight("weight", 2 * e, 2 * l, 1, 1, 1), q.vector("bias", 2 * e), 1);
        } else {
            encoder = null;
            quantConv = null;
        }
        if (withDecoder) {
            Params q = p.child("post_quant_conv").child("conv");
            postQuantConv = new CausalConv3d(q.weight("weight", l, e, 1, 1, 1), q.vector("bias", l), 1);
            decoder = new TemporalDecoder(p.child("decoder"), c, resident);
        } else {
            postQuantConv = null;
            decoder = null;
        }
    }

    /** Leading frames to add (encode) or drop (decode) so {@code frames} fits a multiple of the time factor. */
    int timePadding(int frames) {
        int f = config.timeDownsampleFactor();
        return frames % f == 0 ? 0 : f - frames % f;
    }

    /** x[B, C, T, H, W] → the posterior over latents [B, embed, ceil(T/4), H, W]. */
    public DiagonalGaussian encode(Tensor x) {
        if (encoder == null) {
            throw new IllegalStateException("the temporal VAE was loaded without its encoder");
        }
        Tensor h = encoder.forward(TimeAxis.padTimeFront(x, timePadding(x.dim(2))));
        return new DiagonalGaussian(quantConv.forward(h));
    }

    public Tensor decode(Tensor z, int numFrames) {
        return decode(z, numFrames, Taps.NONE);
    }

    /** z[B, embed, Tz, H, W] → [B, C, numFrames, H, W], the decoder's 4·Tz frames without the first time padding. */
    public Tensor decode(Tensor z, int numFrames, Taps taps) {
        if (decoder == null) {
            throw new IllegalStateException("the temporal VAE was loaded without its decoder");
        }
        int pad = timePadding(numFrames);
        int produced = z.dim(2) * config.timeDownsampleFactor();
        if (produced - pad != numFrames) {
            throw new IllegalArgumentException(z.dim(2) + " latent frames decode to " + (produced - pad)
                    + " frames, not " + numFrames);
        }
        Tensor h = postQuantConv.forward(z);
        taps.tap("post_quant_conv", h);
        Tensor x = decoder.forward(h, taps);
        return pad == 0 ? x : TimeAxis.sliceTime(x, pad, produced);
    }
}
