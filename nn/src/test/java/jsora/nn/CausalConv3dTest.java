package jsora.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.testing.Approx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CausalConv3dTest {
    /** Direct sum in double with the reference's padding: kt − stride zero frames in front, k/2 around H and W. */
    private static Tensor reference(Tensor x, Tensor w, Tensor b, int stride) {
        int c = x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int wd = x.dim(4);
        int o = w.dim(0);
        int kt = w.dim(2);
        int kh = w.dim(3);
        int kw = w.dim(4);
        int front = kt - stride;
        int ot = (t + front - kt) / stride + 1;
        Tensor out = Tensor.zeros(1, o, ot, h, wd);
        for (int oc = 0; oc < o; oc++) {
            for (int zt = 0; zt < ot; zt++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < wd; xx++) {
                        double s = b.at(oc);
                        for (int ic = 0; ic < c; ic++) {
                            for (int dt = 0; dt < kt; dt++) {
                                int it = zt * stride + dt - front;
                                for (int dy = 0; dy < kh; dy++) {
                                    int iy = y + dy - kh / 2;
                                    for (int dx = 0; dx < kw; dx++) {
                                        int ix = xx + dx - kw / 2;
                                        if (it >= 0 && iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                            s += (double) x.at(0, ic, it, iy, ix) * w.at(oc, ic, dt, dy, dx);
                                        }
                                    }
                                }
                            }
                        }
                        out.put((float) s, 0, oc, zt, y, xx);
                    }
                }
            }
        }
        return out;
    }

    private static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }

    @ParameterizedTest
    @CsvSource({"3,5,7,3,6,5,1", "2,4,9,3,3,3,2", "3,3,5,1,4,7,1", "5,2,6,3,5,3,2"})
    void padsTimeOnThePastSideOnly(int c, int o, int t, int k, int h, int w, int stride) {
        Random r = new Random(c * 31 + t);
        Tensor x = random(r, 1, c, t, h, w);
        Tensor weight = random(r, o, c, k, k, k);
        Tensor bias = random(r, o);
        CausalConv3d conv = new CausalConv3d(WeightTensor.of(weight), bias, stride);
        Tensor y = conv.forward(x);
        Approx.assertClose("causal conv", reference(x, weight, bias, stride), y, 1e-5);

        // causality: changing the last input frame leaves every output frame that ends before it unchanged
        Tensor x2 = x.copy();
        for (int ic = 0; ic < c; ic++) {
            for (int i = 0; i < h * w; i++) {
                x2.data()[((ic * t) + t - 1) * h * w + i] += 1f;
            }
        }
        Tensor y2 = conv.forward(x2);
        int plane = h * w;
        for (int oc = 0; oc < o; oc++) {
            for (int zt = 0; zt < y.dim(2); zt++) {
                // output frame zt covers input frames up to zt·stride + stride − 1 (front padding kt − stride)
                boolean seesLast = zt * stride + stride - 1 >= t - 1;
                float[] a = java.util.Arrays.copyOfRange(y.data(), (oc * y.dim(2) + zt) * plane,
                        (oc * y.dim(2) + zt + 1) * plane);
                float[] b2 = java.util.Arrays.copyOfRange(y2.data(), (oc * y.dim(2) + zt) * plane,
                        (oc * y.dim(2) + zt + 1) * plane);
                if (!seesLast) {
                    assertArrayEquals(a, b2, 0f, "output frame " + zt + " changed with a later input frame");
                }
            }
        }
        assertEquals((t - stride) / stride + 1, y.dim(2), "output frames");
    }
}
