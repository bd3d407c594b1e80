package jsora.models.stdit;

import jsora.tensor.Tensor;

/**
 * Receives named intermediate tensors of a forward pass (names as the golden cases' {@code mid.*} keys, e.g.
 * {@code "spatial_blocks.0.attn"}). The tensor may be reused after the call returns: copy it to keep it.
 */
@FunctionalInterface
public interface Taps {
    Taps NONE = (name, value) -> { };

    void tap(String name, Tensor value);
}
