package jsora.models.vae;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.models.config.ConfigFields;
import jsora.weights.JsonText;

/**
 * The Open-Sora VAE v1.2 configuration (VideoAutoencoderPipelineConfig): latent normalisation, time chunking, and the
 * two sub-models. {@link #openSoraV12()} is what OpenSoraVAE_V1_2 hard-codes (SDXL's VAE as the spatial part,
 * VAE_Temporal_SD as the temporal part); {@link #parse} reads a config.json, where sub-model fields that are absent
 * (the released checkpoint names its parts by type only) take those same values.
 */
public record VaeConfig(float[] scale, float[] shift, int microFrameSize, int microBatchSize, Spatial spatial,
        Temporal temporal) {

    /** The factor VideoAutoencoderKL hard-codes for the spatial latents (not the diffusers config's scaling_factor). */
    public static final float SPATIAL_SCALING = 0.18215f;
    private static final ConfigFields FIELDS = new ConfigFields("VAE config");

    /** diffusers AutoencoderKL fields (DownEncoderBlock2D / UpDecoderBlock2D blocks, SiLU). */
    public record Spatial(int inChannels, int outChannels, int latentChannels, int[] blockOutChannels,
            int layersPerBlock, int normNumGroups) {
        /** SDXL's VAE (PixArt-alpha/pixart_sigma_sdxlvae_T5_diffusers), which OpenSoraVAE_V1_2 loads. */
        public static Spatial sdxl() {
            return new Spatial(3, 3, 4, new int[] {128, 256, 512, 512}, 2, 32);
        }
    }

    /** Open-Sora VAE_Temporal fields. */
    public record Temporal(int inOutChannels, int latentEmbedDim, int embedDim, int filters, int numResBlocks,
            int[] channelMultipliers, boolean[] temporalDownsample, int numGroups) {
        /** VAE_Temporal_SD. */
        public static Temporal sd() {
            return new Temporal(4, 4, 4, 128, 4, new int[] {1, 2, 2, 4}, new boolean[] {false, true, true}, 32);
        }

        /** 2^(number of time-downsampling stages): 4 for v1.2. */
        public int timeDownsampleFactor() {
            int f = 1;
            for (boolean b : temporalDownsample) {
                f *= b ? 2 : 1;
            }
            return f;
        }

        /** Latent frames for {@code frames} input frames: ceil(frames / factor) (get_latent_size). */
        public int latentFrames(int frames) {
            int f = timeDownsampleFactor();
            return (frames + f - 1) / f;
        }
    }

    public static VaeConfig openSoraV12() {
        return new VaeConfig(new float[] {3.85f, 2.32f, 2.33f, 3.06f}, new float[] {-0.10f, 0.34f, 0.27f, 0.98f},
                17, 4, Spatial.sdxl(), Temporal.sd());
    }

    /** Latent frames per micro_frame_size pixel frames (micro_z_frame_size: 5 for 17). */
    public int microZFrameSize() {
        return temporal.latentFrames(microFrameSize);
    }

    /**
     * The pipeline's get_latent_size in time: whole micro-chunks of {@code microFrameSize} frames give
     * {@link #microZFrameSize()} latent frames each, the remainder its own ceil(rest / 4).
     */
    public int latentFrames(int frames) {
        int rest = frames % microFrameSize;
        return frames / microFrameSize * microZFrameSize() + (rest > 0 ? temporal.latentFrames(rest) : 0);
    }

    public static VaeConfig parse(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read VAE config (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": bad VAE config (" + e.getMessage() + ")", e);
        }
    }

    public static VaeConfig parse(String json) {
        JsonObject o = JsonText.parse(json).getAsJsonObject();
        VaeConfig d = openSoraV12();
        float[] scale = FIELDS.floats(o, "scale");
        float[] shift = FIELDS.floats(o, "shift");
        int microFrames = FIELDS.positive(o, "micro_frame_size", d.microFrameSize);
        int microBatch = d.microBatchSize;
        Spatial spatial = d.spatial;
        JsonObject v = FIELDS.object(o, "vae_2d");
        if (v != null) {
            ConfigFields vf = FIELDS.in("vae_2d");
            microBatch = vf.positive(v, "micro_batch_size", microBatch);
            JsonObject s = vf.object(v, "diffusers_AutoencoderKL_config");
            if (s != null) {
                ConfigFields sf = vf.in("diffusers_AutoencoderKL_config");
                Spatial x = Spatial.sdxl();
                spatial = new Spatial(sf.positive(s, "in_channels", x.inChannels),
                        sf.positive(s, "out_channels", x.outChannels),
                        sf.positive(s, "latent_channels", x.latentChannels),
                        sf.positives(s, "block_out_channels", x.blockOutChannels),
                        sf.positive(s, "layers_per_block", x.layersPerBlock),
                        sf.positive(s, "norm_num_groups", x.normNumGroups));
            }
        }
        Temporal temporal = d.temporal;
        JsonObject t = FIELDS.object(o, "vae_temporal");
        if (t != null) {
            ConfigFields tf = FIELDS.in("vae_temporal");
            Temporal x = Temporal.sd();
            if (!"VAE_Temporal_SD".equals(tf.string(t, "type", ""))) {
                boolean[] down = tf.bools(t, "temporal_downsample");
                temporal = new Temporal(tf.positive(t, "in_out_channels", x.inOutChannels),
                        tf.positive(t, "latent_embed_dim", x.latentEmbedDim),
                        tf.positive(t, "embed_dim", x.embedDim), tf.positive(t, "filters", x.filters),
                        tf.positive(t, "num_res_blocks", x.numResBlocks),
                        tf.positives(t, "channel_multipliers", x.channelMultipliers),
                        down != null ? down : x.temporalDownsample,
                        tf.positive(t, "num_groups", x.numGroups));
            }
        }
        return new VaeConfig(scale == null ? d.scale : scale, shift == null ? d.shift : shift, microFrames, microBatch,
                spatial, temporal);
    }

    /** This configuration with another spatial micro-batch (frames per spatial decode; no numeric effect). */
    public VaeConfig withMicroBatchSize(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("micro batch size must be >= 1, got " + frames);
        }
        return new VaeConfig(scale, shift, microFrameSize, frames, spatial, temporal);
    }
}
