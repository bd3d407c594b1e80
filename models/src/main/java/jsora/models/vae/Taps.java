package jsora.models.vae;

import jsora.tensor.Tensor;

/**
 * Receives named intermediate activations (module paths of the reference, e.g. "decoder.conv_in") as a forward pass
 * produces them. The tensor may be changed in place afterwards: a tap that keeps it must copy it.
 */
@FunctionalInterface
public interface Taps {
    Taps NONE = (name, value) -> { };

    void tap(String name, Tensor value);
}
