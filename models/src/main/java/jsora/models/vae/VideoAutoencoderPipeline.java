package jsora.models.vae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Tensor;

/**
 * The Open-Sora VAE v1.2 (VideoAutoencoderPipeline): the image VAE per frame (8× in space) followed by the temporal
 * VAE (4× in time), over micro_frame_size-frame chunks, with per-channel latent normalisation
 * {@code z_model = (z − shift) / scale}.
 *
 * <p>Decoding 20 latent frames with num_frames = 68 runs the temporal decoder on four chunks of 5 latent frames,
 * each giving 17 frames (20 decoded, the first 3 dropped), then the spatial decoder frame by frame in micro-batches.
 * Memory is bounded by one temporal chunk plus one spatial micro-batch of activations at a time.
 */
public final class VideoAutoencoderPipeline {
    /** Which halves to load: decoding needs only the decoders. */
    public enum Parts {
        DECODER(false, true), ENCODER(true, false), BOTH(true, true);

        final boolean encoder;
        final boolean decoder;

        Parts(boolean encoder, boolean decoder) {
            this.encoder = encoder;
            this.decoder = decoder;
        }
    }

    private final VaeConfig config;
    private final float[] scale;
    private final float[] shift;
    private final ParamsOpener source;
    private final Parts parts;
    private final VideoAutoencoderKL residentSpatial;
    private final VaeTemporal residentTemporal;

    /** {@code p} holds the checkpoint keys "spatial_vae.module.…" and "temporal_vae.…"; scale/shift from the config. */
    public VideoAutoencoderPipeline(Params p, VaeConfig config, Parts parts) {
        this(ParamsOpener.of(p), config, parts, true, config.scale(), config.shift());
    }

    /**
     * @param resident true: build the parts now and keep them; false: build each part when a call needs it and let
     *                 it go afterwards, so only one part's weights are in memory at a time (the temporal decoder's
     *                 while decoding time, the spatial decoder's while decoding frames).
     */
    public VideoAutoencoderPipeline(ParamsOpener source, VaeConfig config, Parts parts, boolean resident) {
        this(source, config, parts, resident, config.scale(), config.shift());
    }

    private VideoAutoencoderPipeline(ParamsOpener source, VaeConfig config, Parts parts, boolean resident,
            float[] scale, float[] shift) {
        int channels = config.temporal().embedDim();
        if (scale.length != channels || shift.length != channels) {
            throw new IllegalArgumentException("VAE scale/shift need " + channels + " values, got " + scale.length
                    + " and " + shift.length);
        }
        this.config = config;
        this.scale = scale.clone();
        this.shift = shift.clone();
        this.source = source;
        this.parts = parts;
        this.residentSpatial = resident ? buildSpatial() : null;
        this.residentTemporal = resident ? buildTemporal() : null;
    }

    /**
     * Loads a checkpoint in the OpenSora-VAE-v1.2 key layout, keeping every part in memory; its "scale"/"shift"
     * buffers, when present, win over the config's.
     */
    public static VideoAutoencoderPipeline load(Path checkpoint, VaeConfig config, Parts parts) {
        return load(checkpoint, config, parts, DType.F32, true);
    }

    /**
     * {@link #load(Path, VaeConfig, Parts)} with fp32 matrices and kernels rounded to {@code weights} (BF16/F16) as
     * they load, to halve their memory (F32 keeps them as stored), and with the parts either kept in memory
     * ({@code resident}) or read from the file each time a call needs them.
     */
    public static VideoAutoencoderPipeline load(Path checkpoint, VaeConfig config, Parts parts, DType weights,
            boolean resident) {
        ParamsOpener source = ParamsOpener.file(checkpoint, weights);
        int c = config.temporal().embedDim();
        float[][] norm = source.withParams(p -> new float[][] {
            p.has("scale") ? p.weight("scale", 1, c, 1, 1, 1).toTensor().toArray() : config.scale(),
            p.has("shift") ? p.weight("shift", 1, c, 1, 1, 1).toTensor().toArray() : config.shift()});
        return new VideoAutoencoderPipeline(source, config, parts, resident, norm[0], norm[1]);
    }

    private VideoAutoencoderKL buildSpatial() {
        return new VideoAutoencoderKL(source.withParams(p -> new AutoencoderKL(p.child("spatial_vae").child("module"),
                config.spatial(), parts.encoder, parts.decoder)), config.spatial(), config.microBatchSize());
    }

    private VaeTemporal buildTemporal() {
        return source.withParams(p -> new VaeTemporal(p.child("temporal_vae"), config.temporal(), parts.encoder,
                parts.decoder));
    }

    public VaeConfig config() {
        return config;
    }

    /** The image VAE (built now unless resident). */
    public VideoAutoencoderKL spatialVae() {
        return residentSpatial != null ? residentSpatial : buildSpatial();
    }

    /** The temporal VAE (built now unless resident). */
    public VaeTemporal temporalVae() {
        return residentTemporal != null ? residentTemporal : buildTemporal();
    }

    /** Latent frames for a video of {@code frames} frames (get_latent_size in time): 20 for 68, 15 for 51. */
    public int latentFrames(int frames) {
        return config.latentFrames(frames);
    }

    /** Model latents z[B, C, Tz, h, w] → the spatial VAE's latents x_z[B, C, numFrames, h, w] (temporal decode). */
    public Tensor decodeTemporal(Tensor z, int numFrames) {
        if (numFrames < 1 || latentFrames(numFrames) != z.dim(2)) {
            throw new IllegalArgumentException("num_frames " + numFrames + " needs " + latentFrames(Math.max(1,
                    numFrames)) + " latent frames, the latent has " + z.dim(2));
        }
        VaeTemporal temporalVae = temporalVae();
        Tensor zu = unnormalize(z);
        int mz = config.microZFrameSize();
        List<Tensor> chunks = new ArrayList<>();
        int remaining = numFrames;
        for (int i = 0; i < zu.dim(2); i += mz) {
            Tensor chunk = Video.sliceTime(zu, i, Math.min(zu.dim(2), i + mz));
            chunks.add(temporalVae.decode(chunk, Math.min(config.microFrameSize(), remaining)));
            remaining -= config.microFrameSize();
        }
        return Video.catTime(chunks);
    }

    /** Model latents z[B, C, Tz, h, w] → video [B, 3, numFrames, 8h, 8w], roughly in [−1, 1] (not clamped). */
    public Tensor decode(Tensor z, int numFrames) {
        Tensor xz = decodeTemporal(z, numFrames);
        return spatialVae().decode(xz);
    }

    /** Video x[B, 3, T, H, W] in [−1, 1] → model latents, sampling both posteriors with {@code random}. */
    public Tensor encode(Tensor x, Random random) {
        int b = x.dim(0);
        int t = x.dim(2);
        int h = x.dim(3) / 8;
        int w = x.dim(4) / 8;
        int c = config.temporal().embedDim();
        return encode(x, gaussian(random, b * t, config.spatial().latentChannels(), h, w),
                gaussian(random, b, c, latentFrames(t), h, w));
    }

    /**
     * Video x[B, 3, T, H, W] → model latents [B, C, latentFrames(T), H/8, W/8] with the posteriors' noises given:
     * {@code spatialNoise} [B·T, latent, H/8, W/8], {@code temporalNoise} [B, C, latentFrames(T), H/8, W/8] (the
     * chunks' noises joined in time); a null noise takes that posterior's mean.
     */
    public Tensor encode(Tensor x, Tensor spatialNoise, Tensor temporalNoise) {
        Tensor xz = spatialVae().encode(x, spatialNoise);
        VaeTemporal temporalVae = temporalVae();
        List<Tensor> chunks = new ArrayList<>();
        int zAt = 0;
        for (int i = 0; i < xz.dim(2); i += config.microFrameSize()) {
            Tensor chunk = Video.sliceTime(xz, i, Math.min(xz.dim(2), i + config.microFrameSize()));
            DiagonalGaussian posterior = temporalVae.encode(chunk);
            int tz = posterior.mean().dim(2);
            chunks.add(posterior.sample(temporalNoise == null ? null : Video.sliceTime(temporalNoise, zAt, zAt + tz)));
            zAt += tz;
        }
        return normalize(Video.catTime(chunks));
    }

    /** z·scale + shift per channel. */
    private Tensor unnormalize(Tensor z) {
        Tensor out = z.copy();
        perChannel(out, (v, c) -> v * scale[c] + shift[c]);
        return out;
    }

    /** (z − shift) / scale per channel, in place. */
    private Tensor normalize(Tensor z) {
        perChannel(z, (v, c) -> (v - shift[c]) / scale[c]);
        return z;
    }

    private interface ChannelOp {
        float apply(float v, int channel);
    }

    private static void perChannel(Tensor x, ChannelOp op) {
        int c = x.dim(1);
        int inner = x.size() / (x.dim(0) * c);
        float[] v = x.data();
        for (int i = 0; i < x.size(); i++) {
            int at = x.offset() + i;
            v[at] = op.apply(v[at], (i / inner) % c);
        }
    }

    private static Tensor gaussian(Random random, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) random.nextGaussian();
        }
        return t;
    }
}
