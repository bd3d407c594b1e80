package jsora.models.t5;

import jsora.tensor.Tensor;

/**
 * What the encoder hands STDiT3, in Open-Sora's layout: {@code y} [B, 1, L, d_model] ({@code caption_embs[:, None]})
 * and {@code mask} [B, L] (1 = real token, 0 = padding), plus each prompt's number of real tokens.
 * Padded positions of {@code y} are zero when only the real tokens were encoded; STDiT3 drops them either way.
 */
public final class T5Output {
    public final Tensor y;
    public final Tensor mask;
    private final int[] lengths;

    T5Output(Tensor y, Tensor mask, int[] lengths) {
        this.y = y;
        this.mask = mask;
        this.lengths = lengths;
    }

    /** Real tokens (including {@code </s>}) of prompt {@code b}. */
    public int length(int b) {
        return lengths[b];
    }

    public int batch() {
        return lengths.length;
    }
}
