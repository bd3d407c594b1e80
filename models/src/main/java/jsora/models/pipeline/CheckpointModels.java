package jsora.models.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import jsora.models.stdit.STDiT3;
import jsora.models.t5.FixedLengthEncoder;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Tokenizer;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.weights.MemoryBudget;
import jsora.weights.ModelLocator;

/**
 * The three networks from model folders as downloaded (each with its config.json and weights; the T5 folder also
 * with its tokenizer). Each stage opens its checkpoint when it starts and closes it when it ends, so T5 XXL is gone
 * before STDiT3 loads.
 */
public final class CheckpointModels implements Stages.Models {
    private final Path t5;
    private final Path stdit3;
    private final Path vae;
    private final long budget;

    /**
     * @param budget bytes the block weights may occupy (0 = half the JVM's heap): T5's blocks and STDiT3's block pairs
     *               are streamed within it (CI-DL: block i+1 loads while block i computes; as many leading STDiT3
     *               pairs stay resident as fit, all of them when the budget allows)
     */
    public CheckpointModels(Path t5, Path stdit3, Path vae, long budget) {
        this.t5 = t5;
        this.stdit3 = stdit3;
        this.vae = vae;
        this.budget = budget > 0 ? budget : MemoryBudget.fromHeap();
    }

    /** Tokenizer and T5 from the T5 folder; T5's blocks streamed within the budget. */
    @Override
    public Stages.TextEncoder textEncoder() {
        FixedLengthEncoder tokens;
        try {
            tokens = new FixedLengthEncoder(T5Tokenizer.load(t5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new T5TextEncoder(tokens, T5Encoder.open(t5.toString(), budget));
    }

    /** STDiT3 from its folder, its block pairs streamed within the budget (CI-DL). */
    @Override
    public Stages.VideoDenoiser denoiser() {
        return new Stdit3Denoiser(STDiT3.load(stdit3, budget));
    }

    @Override
    public Stages.VideoDecoder decoder() {
        VideoAutoencoderPipeline v = VideoAutoencoderPipeline.load(ModelLocator.inFolder(vae).checkpoint(),
                VaeConfig.parse(vae.resolve("config.json")), VideoAutoencoderPipeline.Parts.DECODER);
        return new VaeDecoder(v);
    }
}
