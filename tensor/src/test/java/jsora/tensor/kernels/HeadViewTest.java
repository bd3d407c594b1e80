package jsora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import jsora.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Per-head RMSNorm, RoPE and attention on views of a fused projection's output ({@link HeadView#tokens}, and
 * {@link HeadView#acrossFrames} for sequences across the frames of a frame-major layout) give the bits of the same
 * kernels on contiguous [B', H, L, D] copies, which the tests of each kernel check against its reference.
 */
class HeadViewTest {
    @Property(tries = 30)
    void viewsGiveTheBitsOfContiguousCopies(@ForAll @IntRange(min = 1, max = 2) int b,
            @ForAll @IntRange(min = 1, max = 9) int frames, @ForAll @IntRange(min = 1, max = 7) int perFrame,
            @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 1, max = 80) int d,
            @ForAll boolean acrossFrames, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor qkv = Ref.randn(r, 1.5, b, frames * perFrame, 3 * h * d);
        Layout layout = new Layout(b, frames, perFrame, acrossFrames);
        Tensor[] copies = new Tensor[3];
        HeadView[] views = new HeadView[3];
        for (int p = 0; p < 3; p++) {
            copies[p] = layout.copy(qkv, 3, p, h);
            views[p] = layout.view(qkv, 3, p, h);
        }
        Tensor weight = Ref.randn(r, 1, d);
        Norms.rmsNorm(copies[0], weight, 1e-6f, copies[0]);
        Norms.rmsNorm(views[0], weight, 1e-6f);
        Tensor cos = Ref.randn(r, 1, layout.length(), d);
        Tensor sin = Ref.randn(r, 1, layout.length(), d);
        Rope.apply(HeadView.of(copies[1]), cos, sin);
        Rope.apply(views[1], cos, sin);
        layout.assertSame(copies[0], qkv, 3, 0, h, "rmsNorm");
        layout.assertSame(copies[1], qkv, 3, 1, h, "rope");
        Tensor expected = Tensor.zeros(copies[0].shape());
        Attention.sdpa(copies[0], copies[1], copies[2], expected, null);
        Tensor out = Tensor.zeros(b, frames * perFrame, h * d);
        out.fill(Float.NaN);
        Attention.sdpa(views[0], views[1], views[2], layout.view(out, 1, 0, h), null);
        layout.assertSame(expected, out, 1, 0, h, "sdpa");
    }

    @Test
    void aLayoutThatDoesNotSplitIntoFramesIsRefused() {
        Tensor t = Tensor.zeros(1, 10, 12);
        assertThrows(IllegalArgumentException.class, () -> HeadView.acrossFrames(t, 3, 0, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> HeadView.acrossFrames(t, 3, 0, 5, 2));
    }

    /**
     * The sequences of a frame-major token layout [B, T·S, parts·H·D]: each sample's whole row of tokens, or (across
     * frames) token s of every frame, by plain index arithmetic.
     */
    private record Layout(int b, int frames, int perFrame, boolean acrossFrames) {
        int sequences() {
            return acrossFrames ? b * perFrame : b;
        }

        int length() {
            return acrossFrames ? frames : frames * perFrame;
        }

        int sample(int seq) {
            return acrossFrames ? seq / perFrame : seq;
        }

        int token(int seq, int row) {
            return acrossFrames ? row * perFrame + seq % perFrame : row;
        }

        HeadView view(Tensor t, int parts, int part, int h) {
            return acrossFrames ? HeadView.acrossFrames(t, parts, part, h, frames) : HeadView.tokens(t, parts, part, h);
        }

        /** Part p of t copied out as a contiguous [B', H, L, D]. */
        Tensor copy(Tensor t, int parts, int p, int h) {
            int d = t.dim(2) / (parts * h);
            Tensor c = Tensor.zeros(sequences(), h, length(), d);
            for (int seq = 0; seq < sequences(); seq++) {
                for (int hi = 0; hi < h; hi++) {
                    for (int li = 0; li < length(); li++) {
                        for (int x = 0; x < d; x++) {
                            c.put(t.at(sample(seq), token(seq, li), (p * h + hi) * d + x), seq, hi, li, x);
                        }
                    }
                }
            }
            return c;
        }

        void assertSame(Tensor contiguous, Tensor t, int parts, int p, int h, String what) {
            int d = t.dim(2) / (parts * h);
            for (int seq = 0; seq < sequences(); seq++) {
                for (int hi = 0; hi < h; hi++) {
                    for (int li = 0; li < length(); li++) {
                        for (int x = 0; x < d; x++) {
                            assertEquals(contiguous.at(seq, hi, li, x), t.at(sample(seq), token(seq, li),
                                    (p * h + hi) * d + x), what + ": sequence " + seq + " head " + hi + " row " + li
                                    + " feature " + x);
                        }
                    }
                }
            }
        }
    }
}
