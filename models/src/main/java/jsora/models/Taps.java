package jsora.models;

import java.util.function.Supplier;
import jsora.tensor.Tensor;

/**
 * Receives the named intermediate tensors of a model's forward pass (T5, STDiT3, the VAE), named as the reference's
 * modules and the golden cases' keys name them (e.g. {@code "spatial_blocks.0.attn"}, {@code "decoder.conv_in"},
 * {@code "block_3_output"}), for parity tests and profiles. The tensor may be reused or changed after the call
 * returns: copy it to keep it.
 */
@FunctionalInterface
public interface Taps {
    /** Taps nothing, and makes no value that would cost a copy. */
    Taps NONE = new Taps() {
        @Override
        public void tap(String name, Tensor value) {
        }

        @Override
        public void tap(String name, Supplier<Tensor> value) {
        }
    };

    void tap(String name, Tensor value);

    /**
     * A value that costs a copy to make (the reference's layout of a tensor jsora keeps in another): made only for
     * taps that read values; a profile that only times the calls overrides this without calling {@code value}.
     */
    default void tap(String name, Supplier<Tensor> value) {
        tap(name, value.get());
    }
}
