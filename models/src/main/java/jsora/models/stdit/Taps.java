package jsora.models.stdit;

import java.util.function.Supplier;
import jsora.tensor.Tensor;

/**
 * Receives named intermediate tensors of a forward pass (names as the golden cases' {@code mid.*} keys, e.g.
 * {@code "spatial_blocks.0.attn"}). The tensor may be reused after the call returns: copy it to keep it.
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
