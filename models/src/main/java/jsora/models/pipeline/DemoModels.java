package jsora.models.pipeline;

import jsora.models.sampler.PixelSize;
import jsora.models.stdit.Params;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.models.t5.ByteLevelTokenizer;
import jsora.models.t5.FixedLengthEncoder;
import jsora.models.t5.T5Config;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Weights;
import jsora.models.t5.TextTokenizer;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.nn.Activation;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * The demo's tiny models: the real T5, STDiT3 and VAE code with small configurations and seeded random weights made
 * in memory (no download). The text goes through the real T5 tokenizer when one is given, otherwise through the
 * byte-level stand-in. The output shows that every stage runs, not a meaningful video.
 */
public final class DemoModels implements Stages.Models {
    /** Caption tokens and width shared by the tiny T5 (d_model) and STDiT3 (caption_channels, model_max_length). */
    static final int TEXT_TOKENS = 64;
    static final int TEXT_WIDTH = 32;

    /** A small VideoAutoencoderPipeline: 4 spatial levels of 8–24 channels, a 4-filter temporal VAE. */
    static final String VAE_CONFIG = "{\"vae_2d\": {\"micro_batch_size\": 4, \"diffusers_AutoencoderKL_config\": "
            + "{\"in_channels\": 3, \"out_channels\": 3, \"block_out_channels\": [8, 8, 16, 24], "
            + "\"layers_per_block\": 1, \"latent_channels\": 4, \"norm_num_groups\": 4}}, "
            + "\"vae_temporal\": {\"in_out_channels\": 4, \"latent_embed_dim\": 4, \"embed_dim\": 4, \"filters\": 4, "
            + "\"num_res_blocks\": 1, \"channel_multipliers\": [1, 2, 2, 4], "
            + "\"temporal_downsample\": [false, true, true], \"num_groups\": 2}, \"micro_frame_size\": 17, "
            + "\"shift\": [-0.1, 0.34, 0.27, 0.98], \"scale\": [3.85, 2.32, 2.33, 3.06]}";

    private final long seed;
    private final TextTokenizer tokenizer;

    /**
     * @param tokenizer the real T5 tokenizer, or null for the byte-level stand-in
     */
    public DemoModels(long seed, TextTokenizer tokenizer) {
        this.seed = seed;
        this.tokenizer = tokenizer == null ? new ByteLevelTokenizer() : tokenizer;
    }

    /** Random weights for any key and shape (the VAE's initializer), deterministic per seed and key. */
    private jsora.models.vae.Params.Store store(long salt) {
        return jsora.models.vae.Params.randomStore(seed * 1_000_003L + salt, DType.F32);
    }

    @Override
    public Stages.TextEncoder textEncoder() {
        T5Config config = new T5Config(tokenizer.vocabularySize(), TEXT_WIDTH, 8, 4, 64, 2, 32, 128, 1e-6f,
                Activation.GELU_TANH);
        jsora.models.vae.Params.Store s = store(1);
        T5Weights w = new T5Weights() {
            @Override
            public WeightTensor weight(String key, int... shape) {
                return s.get(key, shape);
            }

            @Override
            public boolean contains(String key) {
                return !key.equals("encoder.embed_tokens.weight");
            }

            @Override
            public WeightTensor rows(String key, int[] ids) {
                Tensor table = s.get(key, new int[] {config.vocabSize, config.dModel}).toTensor();
                float[] out = new float[ids.length * config.dModel];
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(table.data(), table.offset() + ids[i] * config.dModel, out, i * config.dModel,
                            config.dModel);
                }
                return WeightTensor.ofF32(out, ids.length, config.dModel);
            }

            @Override
            public String source() {
                return "demo T5 (random weights)";
            }
        };
        return new T5TextEncoder(new FixedLengthEncoder(tokenizer, TEXT_TOKENS), T5Encoder.create(config, w));
    }

    @Override
    public Stages.VideoDenoiser denoiser(PixelSize size) {
        STDiT3Config config = new STDiT3Config(64, 2, 4, 4.0, 4, new int[] {1, 2, 2}, TEXT_WIDTH, TEXT_TOKENS, 512,
                true, true, 0);
        jsora.models.vae.Params.Store s = store(2);
        Params p = (key, shape) -> key.equals("rope.freqs") ? WeightTensor.ofF32(config.ropeFrequencies(), shape)
                : s.get(key, shape);
        return new Stdit3Denoiser(STDiT3.create(config, p));
    }

    @Override
    public Stages.VideoDecoder decoder(PixelSize size) {
        return new VaeDecoder(new VideoAutoencoderPipeline(jsora.models.vae.Params.of(store(3)),
                VaeConfig.parse(VAE_CONFIG), VideoAutoencoderPipeline.Parts.DECODER));
    }
}
