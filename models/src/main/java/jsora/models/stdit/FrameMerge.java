package jsora.models.stdit;

import jsora.tensor.Tensor;

/**
 * On-device Sora's TDTM (Temporal Dimension Token Merging, {@code merge.py} of its modified Open-Sora): tokens of
 * adjacent frames are averaged, m_j = (x_2j + x_2j+1) / 2 for j &lt; T/2, attention runs over the merged frames,
 * and each merged result is repeated back onto both frames of its pair.
 *
 * <p>Odd frame counts: the last frame is left out of the merge and, on unmerge, receives a copy of the last merged
 * frame, i.e. the result of pair (T−3, T−2). The reference does exactly this whenever it can run (T % 4 == 3); its
 * unmerge only appends that copy when the merged length is odd and not 15, so for T % 4 == 1 and T = 31 it returns
 * T − 1 frames and crashes. This class applies the same rule to every odd T. With fewer than two frames there is
 * nothing to merge; {@link #applies(int)} is false and callers run unmerged.
 */
public final class FrameMerge {
    private FrameMerge() {
    }

    /** Whether merging changes anything for {@code frames} frames. */
    public static boolean applies(int frames) {
        return frames >= 2;
    }

    /** Number of frames after merging. */
    public static int mergedLength(int frames) {
        return frames / 2;
    }

    /** x [B, T, S, C] (frame-major) → a new [B, T/2, S, C]. */
    public static Tensor merge(Tensor x, int frames) {
        int b = x.dim(0);
        int row = x.size() / (b * frames);
        int tm = mergedLength(frames);
        Tensor out = Tensor.zeros(b, tm, row);
        float[] src = x.data();
        float[] dst = out.data();
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < tm; j++) {
                int a = x.offset() + (bi * frames + 2 * j) * row;
                int o = (bi * tm + j) * row;
                for (int i = 0; i < row; i++) {
                    dst[o + i] = (src[a + i] + src[a + row + i]) / 2f;
                }
            }
        }
        int[] shape = x.shape();
        shape[1] = tm;
        return out.reshape(shape);
    }

    /** m [B, T/2, S, C] → a new [B, T, S, C]: merged frame j onto frames 2j and 2j+1, and the last onto T−1 if T is odd. */
    public static Tensor unmerge(Tensor m, int frames) {
        int b = m.dim(0);
        int tm = mergedLength(frames);
        if (m.dim(1) != tm) {
            throw new IllegalArgumentException("unmerge to " + frames + " frames needs " + tm + " merged frames, got " + m);
        }
        int row = m.size() / (b * tm);
        int[] shape = m.shape();
        shape[1] = frames;
        Tensor out = Tensor.zeros(shape);
        float[] src = m.data();
        float[] dst = out.data();
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < frames; t++) {
                int j = Math.min(t / 2, tm - 1);
                System.arraycopy(src, m.offset() + (bi * tm + j) * row, dst, (bi * frames + t) * row, row);
            }
        }
        return out;
    }
}
