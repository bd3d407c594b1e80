package jsora.cli.bench;

import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.kernels.Activations;
import jsora.tensor.kernels.Attention;
import jsora.tensor.kernels.Conv;
import jsora.tensor.kernels.Gemm;
import jsora.tensor.kernels.Norms;
import jsora.tensor.kernels.Softmax;
import jsora.tensor.testing.Approx;
import org.junit.jupiter.api.Test;

/**
 * The scalar twins of simd-check compute what the kernels compute (else the check would compare different work).
 * Float accumulation in plain loops: agreement within 1e-4 relative.
 */
class ScalarKernelsTest {
    private static final float REL = 1e-4f;
    private final Random rnd = new Random(3);

    private Tensor random(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rnd.nextGaussian();
        }
        return t;
    }

    private static void check(String what, Tensor kernel, float[] scalar) {
        Approx.assertClose(what, kernel, Tensor.wrap(scalar, kernel.shape()), REL);
    }

    @Test
    void linear() {
        Tensor x = random(5, 37);
        Tensor b = random(11);
        for (DType type : DType.values()) {
            WeightTensor w = WeightTensor.convert(random(11, 37), type);
            Tensor y = Tensor.zeros(5, 11);
            float[] ys = new float[55];
            Gemm.linear(x, w, b, y);
            ScalarKernels.linear(x.data(), w, b.data(), ys, 5);
            check("linear " + type, y, ys);
        }
    }

    @Test
    void attention() {
        int l = 19;
        int d = 9;
        Tensor q = random(1, 2, l, d);
        Tensor k = random(1, 2, l, d);
        Tensor v = random(1, 2, l, d);
        Tensor bias = random(2, 2 * l - 1);
        Tensor out = Tensor.zeros(1, 2, l, d);
        float[] outs = new float[2 * l * d];
        Attention.sdpa(q, k, v, out, new Attention.Options().relativeBias(bias));
        ScalarKernels.attention(q.data(), k.data(), v.data(), bias.data(), outs, 2, l, d);
        check("sdpa", out, outs);
    }

    @Test
    void norms() {
        Tensor x = random(3, 4, 5, 6);
        Tensor g = random(4);
        Tensor b = random(4);
        Tensor out = Tensor.zeros(3, 4, 5, 6);
        float[] outs = new float[x.size()];
        Tensor one = x.get(0).reshape(1, 4, 5, 6);
        Norms.groupNorm(one, 2, g, b, 1e-5f, out.get(0).reshape(1, 4, 5, 6));
        ScalarKernels.groupNorm(one.toArray(), 2, g.data(), b.data(), 1e-5f, outs, 4);
        check("groupNorm", out.get(0), java.util.Arrays.copyOf(outs, 120));
        Tensor gc = random(6);
        Tensor bc = random(6);
        Norms.layerNorm(x, gc, bc, 1e-5f, out);
        ScalarKernels.layerNorm(x.data(), gc.data(), bc.data(), 1e-5f, outs, 6);
        check("layerNorm", out, outs);
        Norms.rmsNorm(x, gc, 1e-5f, out);
        ScalarKernels.rmsNorm(x.data(), gc.data(), 1e-5f, outs, 6);
        check("rmsNorm", out, outs);
    }

    @Test
    void conv2d() {
        Tensor x = random(1, 3, 7, 6);
        WeightTensor w = WeightTensor.of(random(4, 3, 3, 3));
        Tensor b = random(4);
        Tensor out = Tensor.zeros(1, 4, 7, 6);
        float[] outs = new float[out.size()];
        Conv.conv2d(x, w, b, 1, 1, out);
        ScalarKernels.conv2d(x.data(), 3, 7, 6, w.f32(), 4, 3, 3, b.data(), 1, outs);
        check("conv2d", out, outs);
    }

    @Test
    void softmaxAndActivations() {
        Tensor x = random(7, 13);
        Tensor out = Tensor.zeros(7, 13);
        float[] outs = new float[91];
        Softmax.lastAxis(x, out);
        ScalarKernels.softmax(x.data(), outs, 13);
        check("softmax", out, outs);
        Activations.gelu(x, out);
        ScalarKernels.gelu(x.data(), outs);
        check("gelu", out, outs);
        Activations.geluTanh(x, out);
        ScalarKernels.geluTanh(x.data(), outs);
        check("geluTanh", out, outs);
        Activations.silu(x, out);
        ScalarKernels.silu(x.data(), outs);
        check("silu", out, outs);
    }
}
