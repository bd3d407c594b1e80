package jsora.models.stdit;

import jsora.nn.Linear;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Open-Sora's {@code PatchEmbed3D} ({@code x_embedder}): a Conv3d whose stride equals its kernel, i.e. a Linear over
 * each flattened (c, kt, kh, kw) patch. T, H and W that are no multiple of the patch are zero-padded at the end
 * (F.pad before the conv). Tokens come out frame-major: index = (t·Hp + h)·Wp + w.
 */
final class PatchEmbed3D {
    private final Linear proj;
    private final int[] patch;
    private final int inChannels;

    PatchEmbed3D(Linear proj, int[] patch, int inChannels) {
        this.proj = proj;
        this.patch = patch.clone();
        this.inChannels = inChannels;
    }

    static PatchEmbed3D load(Params p, STDiT3Config c) {
        int[] ps = c.patchSize;
        WeightTensor w = p.weight("proj.weight", c.hiddenSize, c.inChannels, ps[0], ps[1], ps[2]);
        int k = c.inChannels * c.patchVolume();
        return new PatchEmbed3D(new Linear(w.reshape(c.hiddenSize, k), p.tensor("proj.bias", c.hiddenSize)), ps,
                c.inChannels);
    }

    /** x [B, Cin, T, H, W] → [B, Tp·Hp·Wp, hidden]. */
    Tensor forward(Tensor x) {
        int b = x.dim(0);
        int t = x.dim(2);
        int h = x.dim(3);
        int w = x.dim(4);
        int pt = patch[0];
        int ph = patch[1];
        int pw = patch[2];
        int tp = ceilDiv(t, pt);
        int hp = ceilDiv(h, ph);
        int wp = ceilDiv(w, pw);
        int k = inChannels * pt * ph * pw;
        Tensor patches = Tensor.zeros(b, tp * hp * wp, k);
        float[] src = x.data();
        float[] dst = patches.data();
        for (int bi = 0; bi < b; bi++) {
            for (int c = 0; c < inChannels; c++) {
                for (int ti = 0; ti < t; ti++) {
                    for (int hi = 0; hi < h; hi++) {
                        for (int wi = 0; wi < w; wi++) {
                            int token = ((ti / pt) * hp + hi / ph) * wp + wi / pw;
                            int feature = ((c * pt + ti % pt) * ph + hi % ph) * pw + wi % pw;
                            dst[(bi * tp * hp * wp + token) * k + feature] =
                                    src[x.offset() + (((bi * inChannels + c) * t + ti) * h + hi) * w + wi];
                        }
                    }
                }
            }
        }
        return proj.forward(patches);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
