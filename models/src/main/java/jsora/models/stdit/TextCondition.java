package jsora.models.stdit;

import jsora.tensor.Tensor;

/**
 * The projected caption with padding removed: the valid tokens of every sample, one after another ({@code tokens}
 * [Σ lens, hidden]), and how many belong to each sample. Sample b's queries attend only to its own tokens
 * (xformers' BlockDiagonalMask in the reference).
 */
final class TextCondition {
    final Tensor tokens;
    final int[] lens;

    TextCondition(Tensor tokens, int[] lens) {
        int total = 0;
        for (int l : lens) {
            total += l;
        }
        if (tokens.rank() != 2 || tokens.dim(0) != total) {
            throw new IllegalArgumentException("caption tokens " + tokens + " do not hold the " + total
                    + " tokens of lengths " + java.util.Arrays.toString(lens));
        }
        this.tokens = tokens;
        this.lens = lens;
    }

    int batch() {
        return lens.length;
    }

    int offset(int sample) {
        int o = 0;
        for (int i = 0; i < sample; i++) {
            o += lens[i];
        }
        return o;
    }

    int maxLen() {
        int m = 0;
        for (int l : lens) {
            m = Math.max(m, l);
        }
        return m;
    }
}
