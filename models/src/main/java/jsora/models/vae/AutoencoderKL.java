package jsora.models.vae;

import jsora.models.Taps;
import jsora.nn.Conv2d;
import jsora.tensor.Tensor;

/**
 * diffusers' AutoencoderKL (the SD/SDXL image VAE): 8× spatial compression with 1×1 quant_conv / post_quant_conv
 * around the latent. Either half may be left unloaded, and the decoder streamed, to save memory.
 */
public final class AutoencoderKL {
    private final SpatialEncoder encoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final SpatialDecoder decoder;

    /** {@code p} holds the "encoder.", "quant_conv.", "post_quant_conv.", "decoder." keys; all layers resident. */
    public AutoencoderKL(Params p, VaeConfig.Spatial c, boolean withEncoder, boolean withDecoder) {
        this(p, c, withEncoder, withDecoder, true);
    }

    /**
     * @param resident false: the decoder's layers are read from {@code p} each time they run (streamed), so
     *                 {@code p} must stay readable while this object is used
     */
    public AutoencoderKL(Params p, VaeConfig.Spatial c, boolean withEncoder, boolean withDecoder, boolean resident) {
        int l = c.latentChannels();
        encoder = withEncoder ? new SpatialEncoder(p.child("encoder"), c) : null;
        quantConv = withEncoder ? SpatialLayers.conv(p.child("quant_conv"), 2 * l, 2 * l, 1) : null;
        postQuantConv = withDecoder ? SpatialLayers.conv(p.child("post_quant_conv"), l, l, 1) : null;
        decoder = withDecoder ? new SpatialDecoder(p.child("decoder"), c, resident) : null;
    }

    /** Images x[N, C, H, W] → the posterior over latents [N, latent, H/8, W/8]. */
    public DiagonalGaussian encode(Tensor x) {
        if (encoder == null) {
            throw new IllegalStateException("the spatial VAE was loaded without its encoder");
        }
        return new DiagonalGaussian(quantConv.forward(encoder.forward(x)));
    }

    /** Latents z[N, latent, h, w] → images [N, C, 8h, 8w]; intermediates tapped as "post_quant_conv", "decoder.…". */
    public Tensor decode(Tensor z, Taps taps) {
        if (decoder == null) {
            throw new IllegalStateException("the spatial VAE was loaded without its decoder");
        }
        Tensor h = postQuantConv.forward(z);
        taps.tap("post_quant_conv", h);
        return decoder.forward(h, taps);
    }
}
