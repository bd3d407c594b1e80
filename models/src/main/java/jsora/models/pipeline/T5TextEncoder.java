package jsora.models.pipeline;

import java.util.List;
import java.util.Optional;
import jsora.models.t5.FixedLengthEncoder;
import jsora.models.t5.StreamedBlocks;
import jsora.models.t5.T5Encoder;
import jsora.models.t5.T5Output;
import jsora.models.t5.TokenizedPrompt;
import jsora.weights.LoadStats;

/**
 * Tokenizer + T5 encoder as the pipeline's text stage, the way Open-Sora's {@code T5Encoder.encode} calls them: the
 * prompt padded/truncated to the model's max length, then the encoder's last hidden state as {@code y} [1, 1, L, C]
 * and the attention mask [1, L]. Closing releases the encoder.
 */
public final class T5TextEncoder implements Stages.TextEncoder {
    private final FixedLengthEncoder tokens;
    private final T5Encoder encoder;

    public T5TextEncoder(FixedLengthEncoder tokens, T5Encoder encoder) {
        this.tokens = tokens;
        this.encoder = encoder;
    }

    /** The prompt's token ids and mask, as the encoder gets them. */
    public TokenizedPrompt tokenize(String prompt) {
        return tokens.encode(prompt);
    }

    @Override
    public Caption encode(String prompt) {
        TokenizedPrompt t = tokenize(prompt);
        T5Output out = encoder.encode(List.of(t));
        return new Caption(out.y, out.mask, t.truncationNote().orElse(null));
    }

    @Override
    public Optional<LoadStats> streamingStats() {
        return encoder.blocks() instanceof StreamedBlocks ? Optional.of(((StreamedBlocks) encoder.blocks()).stats())
                : Optional.empty();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
