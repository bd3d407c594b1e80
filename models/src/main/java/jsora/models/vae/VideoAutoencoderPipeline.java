package jsora.models.vae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import jsora.tensor.DType;
import jsora.tensor.Tensor;

/**
 * The Open-Sora VAE v1.2 (VideoAutoencoderPipeline): the image VAE per frame (8× in space) followed by the temporal
 * VAE (4× in time), over micro_frame_size-frame chunks, with per-channel latent normalisation
 * {@code z_model = (z − shift) / scale}.
 *
 * <p>Decoding 20 latent frames with num_frames = 68 runs the temporal decoder on four chunks of 5 latent frames,
 * each giving 17 frames (20 decoded, the first 3 dropped), then the spatial decoder frame by frame in micro-batches.
 * Activations are bounded by one temporal chunk, then one spatial micro-batch, at a time; weights are either
 * resident or streamed layer by layer ({@link #load(Path, VaeConfig, Parts, DType, boolean)}).
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
     * @param resident true: build the parts now and keep them; false: stream them, opening the source for each call
     *                 and reading every decoder layer's weights just before it runs, so about one layer's weights
     *                 are in memory at a time (re-read for every temporal chunk and spatial micro-batch).
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
        this.residentSpatial = resident ? source.withParams(p -> spatial(p, true)) : null;
        this.residentTemporal = resident ? source.withParams(p -> temporal(p, true)) : null;
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

    private VideoAutoencoderKL spatial(Params p, boolean resident) {
        return new VideoAutoencoderKL(new AutoencoderKL(p.child("spatial_vae").child("module"), config.spatial(),
                parts.encoder, parts.decoder, resident), config.spatial(), config.microBatchSize());
    }

    private VaeTemporal temporal(Params p, boolean resident) {
        return new VaeTemporal(p.child("temporal_vae"), config.temporal(), parts.encoder, parts.decoder, resident);
    }

    /** Runs {@code use} with the image VAE: the resident one, or one streamed from the source for this call. */
    private <T> T withSpatial(Function<VideoAutoencoderKL, T> use) {
        return residentSpatial != null ? use.apply(residentSpatial)
                : source.withParams(p -> use.apply(spatial(p, false)));
    }

    /** Runs {@code use} with the temporal VAE: the resident one, or one streamed from the source for this call. */
    private <T> T withTemporal(Function<VaeTemporal, T> use) {
        return residentTemporal != null ? use.apply(residentTemporal)
                : source.withParams(p -> use.apply(temporal(p, false)));
    }

    public VaeConfig config() {
        return config;
    }

    /** The image VAE of a resident pipeline. */
    public VideoAutoencoderKL spatialVae() {
        return requireResident(residentSpatial);
    }

    /** The temporal VAE of a resident pipeline. */
    public VaeTemporal temporalVae() {
        return requireResident(residentTemporal);
    }

    private static <T> T requireResident(T part) {
        if (part == null) {
            throw new IllegalStateException("a streamed VAE pipeline builds its parts per call; use decode/encode");
        }
        return part;
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
        Tensor zu = unnormalize(z);
        int mz = config.microZFrameSize();
        return withTemporal(temporalVae -> {
            List<Tensor> chunks = new ArrayList<>();
            int remaining = numFrames;
            for (int i = 0; i < zu.dim(2); i += mz) {
                Tensor chunk = TimeAxis.sliceTime(zu, i, Math.min(zu.dim(2), i + mz));
                chunks.add(temporalVae.decode(chunk, Math.min(config.microFrameSize(), remaining)));
                remaining -= config.microFrameSize();
            }
            return TimeAxis.catTime(chunks);
        });
    }

    /** The spatial VAE's latents x_z[B, C, T, h, w] → video [B, 3, T, 8h, 8w] (micro_batch_size frames at a time). */
    public Tensor decodeSpatial(Tensor xz) {
        return withSpatial(spatialVae -> spatialVae.decode(xz));
    }

    /** Model latents z[B, C, Tz, h, w] → video [B, 3, numFrames, 8h, 8w], roughly in [−1, 1] (not clamped). */
    public Tensor decode(Tensor z, int numFrames) {
        return decodeSpatial(decodeTemporal(z, numFrames));
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
        Tensor xz = withSpatial(spatialVae -> spatialVae.encode(x, spatialNoise));
        return normalize(withTemporal(temporalVae -> {
            List<Tensor> chunks = new ArrayList<>();
            int zAt = 0;
            for (int i = 0; i < xz.dim(2); i += config.microFrameSize()) {
                Tensor chunk = TimeAxis.sliceTime(xz, i, Math.min(xz.dim(2), i + config.microFrameSize()));
                DiagonalGaussian posterior = temporalVae.encode(chunk);
                int tz = posterior.mean().dim(2);
                chunks.add(posterior.sample(temporalNoise == null ? null
                        : TimeAxis.sliceTime(temporalNoise, zAt, zAt + tz)));
                zAt += tz;
            }
            return TimeAxis.catTime(chunks);
        }));
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
