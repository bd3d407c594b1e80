package jsora.models.pipeline;

import jsora.tensor.Tensor;

/**
 * The text encoder's output for one prompt, as STDiT3 takes it.
 *
 * @param y    the caption embedding [1, 1, L, C] (T5's last hidden state)
 * @param mask [1, L]: 1 for real tokens, 0 for padding
 * @param note something the user should know about the encoding (e.g. the prompt was truncated), or null
 */
public record Caption(Tensor y, Tensor mask, String note) {
    public Caption(Tensor y, Tensor mask) {
        this(y, mask, null);
    }
}
