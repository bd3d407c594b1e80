package jsora.models.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import jsora.models.sampler.PixelSize;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.models.t5.FixedLengthEncoder;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Tokenizer;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.tensor.DType;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.ModelLocator;

/**
 * The three networks from model folders as downloaded (each with its config.json and weights; the T5 folder also
 * with its tokenizer). Each stage opens its checkpoint when it starts and closes it when it ends, so T5 XXL is gone
 * before STDiT3 loads. A {@link MemoryPlan} gives each stage its share of the heap: T5's blocks and STDiT3's block
 * pairs are streamed within it (CI-DL: block i+1 loads while block i computes; as many leading STDiT3 pairs stay
 * resident as fit), and the VAE decoder stays resident only if it fits beside its activations, else it is read
 * layer by layer as it runs.
 */
public final class CheckpointModels implements Stages.Models {
    private final Path t5;
    private final Path stdit3;
    private final Path vae;
    private final MemoryPlan plan;

    public CheckpointModels(Path t5, Path stdit3, Path vae, MemoryPlan plan) {
        this.t5 = t5;
        this.stdit3 = stdit3;
        this.vae = vae;
        this.plan = plan;
    }

    /** Tokenizer and T5 from the T5 folder; T5's blocks streamed within the plan's share. */
    @Override
    public Stages.TextEncoder textEncoder() {
        FixedLengthEncoder tokens;
        try {
            tokens = new FixedLengthEncoder(T5Tokenizer.load(t5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new T5TextEncoder(tokens, T5Encoder.open(t5.toString(), plan.textWeights()));
    }

    /** STDiT3 from its folder, its block pairs streamed within what the activations at {@code size} leave. */
    @Override
    public Stages.VideoDenoiser denoiser(PixelSize size) {
        STDiT3Config c = STDiT3.config(stdit3);
        return new Stdit3Denoiser(STDiT3.load(stdit3, plan.denoiserWeights(size, c.hiddenSize)));
    }

    @Override
    public Stages.VideoDecoder decoder(PixelSize size) {
        Path checkpoint = ModelLocator.inFolder(vae).checkpoint();
        boolean resident = plan.vaeResident(decoderBytes(checkpoint), size);
        VideoAutoencoderPipeline v = VideoAutoencoderPipeline.load(checkpoint,
                VaeConfig.parse(vae.resolve("config.json")), VideoAutoencoderPipeline.Parts.DECODER, DType.F32,
                resident);
        return new VaeDecoder(v);
    }

    /** Bytes the decoding half of the VAE takes in memory: every tensor but the encoders'. */
    private static long decoderBytes(Path checkpoint) {
        try (Checkpoint c = Checkpoints.open(checkpoint)) {
            return c.memoryBytes(c.keys().stream().filter(k -> !k.contains("encoder.") && !k.contains(".quant_conv."))
                    .collect(Collectors.toList()));
        }
    }
}
