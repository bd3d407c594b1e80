package jsora.cli.bench;

import java.util.Locale;
import jsora.tensor.DType;

/** The {@code --weights} choices (int8: {@link jsora.tensor.Int8}, blocks of {@link jsora.tensor.Int8#BLOCK}). */
enum WeightType {
    f32(DType.F32), bf16(DType.BF16), f16(DType.F16), int8(DType.I8);

    final DType dtype;

    WeightType(DType dtype) {
        this.dtype = dtype;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
