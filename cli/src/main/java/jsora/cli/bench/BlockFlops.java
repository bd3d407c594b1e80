package jsora.cli.bench;

/**
 * Floating-point operations (multiply and add counted separately) of one STDiT3 block pair, from its matrix products;
 * norms, modulation, softmax and activations are left out (well under 1%). With TDTM, self-attention and
 * cross-attention see T/2 frames; the Mlp always sees all T.
 */
final class BlockFlops {
    private BlockFlops() {
    }

    static double pair(int b, int frames, int s, int c, int mlp, int text, boolean merge) {
        int tq = merge && frames >= 2 ? frames / 2 : frames;
        double all = (double) b * frames * s;
        double attended = (double) b * tq * s;
        double spatialScores = 4.0 * b * tq * s * s * c;
        double temporalScores = 4.0 * b * s * tq * tq * c;
        return block(all, attended, spatialScores, b, c, mlp, text) + block(all, attended, temporalScores, b, c, mlp, text);
    }

    private static double block(double all, double attended, double selfScores, int b, int c, int mlp, int text) {
        double selfAttn = 2 * attended * c * 3 * c + selfScores + 2 * attended * c * c;
        double cross = 2 * attended * c * c + 2.0 * b * text * c * 2 * c + 4 * attended * text * c + 2 * attended * c * c;
        double ffn = 2 * 2 * all * c * mlp;
        return selfAttn + cross + ffn;
    }
}
