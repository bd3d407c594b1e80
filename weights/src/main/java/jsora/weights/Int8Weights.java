package jsora.weights;

import java.util.Set;
import jsora.tensor.Int8;

/**
 * How int8 weights ({@link Int8}) are stored in a safetensors file, the one place this convention is defined.
 * <ul>
 * <li>A quantized weight {@code <key>} of shape [N, K] is an {@code I8} tensor under its own key, with its scales the
 * F32 tensor {@code <key>.int8_scale} of shape [N, B] in the same file: B scales per row, each covering
 * ⌈K / B⌉ consecutive elements of the row (B = 1: one scale per row). The value of element (r, c) is
 * {@code q[r, c] · scale[r, c / ⌈K/B⌉]}.</li>
 * <li>Readers ({@link SafeTensors}) pair them: {@code <key>} comes back as an I8 {@code WeightTensor}, and the scale
 * key is not listed among the checkpoint's keys (a shard index lists only {@code <key>}).</li>
 * <li>Only matmul weights are quantized ({@link #quantizes}): non-empty 2-D float tensors named {@code *.weight} that
 * are not embedding tables. Embeddings, norms, biases, conv kernels and buffers keep their float type.</li>
 * </ul>
 */
public final class Int8Weights {
    /** Appended to a weight's key to name its scale tensor. */
    public static final String SCALE_SUFFIX = ".int8_scale";

    /** Module names of 2-D weights that are looked up by row (embedding tables), not multiplied. */
    private static final Set<String> TABLES = Set.of("shared", "embed_tokens", "relative_attention_bias");

    private Int8Weights() {
    }

    public static String scaleKey(String key) {
        return key + SCALE_SUFFIX;
    }

    /** Whether {@code jsora convert --dtype int8} quantizes this tensor (a Linear weight). */
    public static boolean quantizes(String key, TensorInfo info) {
        if (!info.type().isFloat() || info.shape.length != 2 || info.numel() == 0 || !key.endsWith(".weight")) {
            return false;
        }
        String module = key.substring(0, key.length() - ".weight".length());
        String last = module.substring(module.lastIndexOf('.') + 1);
        return !TABLES.contains(last) && !last.contains("embedding");
    }
}
