package jsora.models.pipeline;

import jsora.tensor.Tensor;

/**
 * The text encoder's output for one prompt, as STDiT3 takes it.
 *
 * @param y    the caption embedding [1, 1, L, C] (T5's last hidden state)
 * @param mask [1, L]: 1 for real tokens, 0 for padding
 */
public record Caption(Tensor y, Tensor mask) {
}
