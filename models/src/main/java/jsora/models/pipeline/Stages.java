package jsora.models.pipeline;

import java.util.Optional;
import jsora.models.sampler.Denoiser;
import jsora.models.sampler.PixelSize;
import jsora.tensor.Tensor;
import jsora.weights.LoadStats;

/**
 * The three networks of a generation, as the pipeline uses them. The real ones are T5 v1.1 XXL, STDiT3-XL/2 and the
 * Open-Sora VAE v1.2; each may load its weights when first used and release them when {@link AutoCloseable#close}d,
 * so that only one large model needs to be resident at a time.
 */
public final class Stages {
    private Stages() {
    }

    /** Prompt (already prepared) to caption embedding. */
    public interface TextEncoder extends AutoCloseable {
        Caption encode(String prompt);

        /** What CI-DL did so far, if the weights are streamed. */
        default Optional<LoadStats> streamingStats() {
            return Optional.empty();
        }

        @Override
        default void close() {
        }
    }

    /** The diffusion model, bound to one caption and video size for sampling. */
    public interface VideoDenoiser extends AutoCloseable {
        /**
         * @param mergeSteps TDTM: merge frame pairs while the step index is below this (0 = off)
         */
        Denoiser bind(Caption caption, PixelSize size, int fps, int mergeSteps);

        /** What CI-DL did so far, if the weights are streamed. */
        default Optional<LoadStats> streamingStats() {
            return Optional.empty();
        }

        @Override
        default void close() {
        }
    }

    /** Latent to pixels. */
    public interface VideoDecoder extends AutoCloseable {
        /** {@code z} [1, 4, T, H/8, W/8] to [1, 3, frames, H, W] in about [-1, 1]. */
        Tensor decode(Tensor z, int frames);

        @Override
        default void close() {
        }
    }

    /** Where the pipeline gets its stages; each is opened when its stage starts and closed when it ends. */
    public interface Models {
        TextEncoder textEncoder();

        /** The denoiser for videos of {@code size} (its activations decide how much of it stays resident). */
        VideoDenoiser denoiser(PixelSize size);

        /** The decoder for videos of {@code size}. */
        VideoDecoder decoder(PixelSize size);
    }
}
