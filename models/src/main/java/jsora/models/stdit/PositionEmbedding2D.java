package jsora.models.stdit;

import jsora.tensor.Tensor;

/**
 * Open-Sora's {@code PositionEmbedding2D}: a fixed 2-D sin-cos table [S, C] added to every frame. Positions are
 * rescaled to the training resolution: grid_h = h / scale · baseSize / Hp (likewise w), with scale = √(height·width)
 * / input_sq_size (pixels) and baseSize = round(√S). Token (h, w) gets [sin, cos](grid_w[w]·f) then
 * [sin, cos](grid_h[h]·f), f_i = 1/10000^(2i/(C/2)) — the W coordinate first, as the reference's meshgrid(grid_w,
 * grid_h) + transpose leaves it. Computed in float32 like the reference.
 */
final class PositionEmbedding2D {
    private PositionEmbedding2D() {
    }

    static Tensor compute(int dim, int hp, int wp, double scale, int baseSize) {
        int half = dim / 2;
        int nf = half / 2;
        float[] invFreq = new float[nf];
        for (int i = 0; i < nf; i++) {
            float e = (float) (2 * i) / half;
            invFreq[i] = 1f / (float) Math.pow(10000.0, e);
        }
        Tensor out = Tensor.zeros(hp * wp, dim);
        float[] o = out.data();
        for (int h = 0; h < hp; h++) {
            float gh = grid(h, scale, baseSize, hp);
            for (int w = 0; w < wp; w++) {
                float gw = grid(w, scale, baseSize, wp);
                int base = (h * wp + w) * dim;
                sinCos(gw, invFreq, o, base);
                sinCos(gh, invFreq, o, base + half);
            }
        }
        return out;
    }

    private static float grid(int i, double scale, int baseSize, int n) {
        float g = (float) i / (float) scale;
        return g * (float) ((double) baseSize / n);
    }

    private static void sinCos(float pos, float[] invFreq, float[] o, int at) {
        int nf = invFreq.length;
        for (int i = 0; i < nf; i++) {
            float a = pos * invFreq[i];
            o[at + i] = (float) Math.sin(a);
            o[at + nf + i] = (float) Math.cos(a);
        }
    }
}
