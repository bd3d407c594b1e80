package jsora.cli.bench;

import java.util.ArrayList;
import java.util.List;
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

/**
 * The kernels {@link BenchSimdCheckCommand} times, each on small model-like shapes (STDiT3's head size 72 and hidden 1152, T5's
 * 300 tokens, the VAE's 32 groups) whose sizes are mostly no multiple of the vector length, with its scalar twin and
 * the speed-up each must reach ({@link #MIN_FACTOR}).
 */
final class SimdProbes {
    private SimdProbes() {
    }

    /** One kernel: the Vector API call and the same math in plain loops. */
    static final class Probe {
        final String name;
        final Runnable simd;
        final Runnable scalar;

        Probe(String name, Runnable simd, Runnable scalar) {
            this.name = name;
            this.simd = simd;
            this.scalar = scalar;
        }
    }

    /**
     * The least speed-up over scalar Java every kernel must show. Natively the kernels are 1.5–20× faster; under QEMU
     * every float lane is a softfloat call for SIMD and scalar code alike, so compiled SIMD measures 0.6–2.5× there,
     * while a whole kernel in per-lane Java measures 0.1–0.3×. A kernel with only part of its code falling back can
     * stay above it (SVE with the exponent-bit exp: softmax 0.59, sdpa 0.90), which is why CI also runs the check
     * under {@code .ci/jit-check}, failing on any Vector API call the JIT leaves uncompiled (BENCHMARKS.md, "ARM64
     * under QEMU").
     */
    static final double MIN_FACTOR = 0.5;

    private static final Random RANDOM = new Random(7);

    static List<Probe> all() {
        List<Probe> p = new ArrayList<>();
        // every weight type GEMM reads (each has its own packing path), so a new DType is checked as soon as it exists
        for (DType t : DType.values()) {
            p.add(linear(t));
        }
        p.add(attention(false));
        p.add(attention(true));
        p.add(layerNorm());
        p.add(rmsNorm());
        p.add(groupNorm());
        p.add(conv2d());
        p.add(softmax());
        p.add(activation("gelu", Activations::gelu, ScalarKernels::gelu));
        p.add(activation("gelu-tanh", Activations::geluTanh, ScalarKernels::geluTanh));
        p.add(activation("silu", Activations::silu, ScalarKernels::silu));
        return p;
    }

    private static float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) RANDOM.nextGaussian();
        }
        return a;
    }

    private static Tensor randomTensor(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.wrap(random(n), shape);
    }

    private static Probe linear(DType type) {
        int m = 16;
        int k = 288;
        int n = 128;
        Tensor x = randomTensor(m, k);
        WeightTensor w = WeightTensor.convert(randomTensor(n, k), type);
        Tensor bias = randomTensor(n);
        Tensor y = Tensor.zeros(m, n);
        float[] ys = new float[m * n];
        return new Probe("linear-" + type.name().toLowerCase(java.util.Locale.ROOT),
                () -> Gemm.linear(x, w, bias, y), () -> ScalarKernels.linear(x.data(), w, bias.data(), ys, m));
    }

    /** Self-attention over 80 tokens of head size 72; with {@code bias}, T5's additive position bias. */
    private static Probe attention(boolean withBias) {
        int l = 80;
        int d = 72;
        Tensor q = randomTensor(1, 1, l, d);
        Tensor k = randomTensor(1, 1, l, d);
        Tensor v = randomTensor(1, 1, l, d);
        Tensor bias = withBias ? randomTensor(1, 2 * l - 1) : null;
        Tensor out = Tensor.zeros(1, 1, l, d);
        float[] outs = new float[l * d];
        Attention.Options o = new Attention.Options().relativeBias(bias);
        return new Probe(withBias ? "sdpa-bias" : "sdpa", () -> Attention.sdpa(q, k, v, out, o),
                () -> ScalarKernels.attention(q.data(), k.data(), v.data(), withBias ? bias.data() : null, outs, 1,
                        l, d));
    }

    private static Probe layerNorm() {
        int c = 1152;
        Tensor x = randomTensor(16, c);
        Tensor g = randomTensor(c);
        Tensor b = randomTensor(c);
        Tensor out = Tensor.zeros(16, c);
        float[] outs = new float[16 * c];
        return new Probe("layer-norm", () -> Norms.layerNorm(x, g, b, 1e-6f, out),
                () -> ScalarKernels.layerNorm(x.data(), g.data(), b.data(), 1e-6f, outs, c));
    }

    private static Probe rmsNorm() {
        int c = 1152;
        Tensor x = randomTensor(16, c);
        Tensor g = randomTensor(c);
        Tensor out = Tensor.zeros(16, c);
        float[] outs = new float[16 * c];
        return new Probe("rms-norm", () -> Norms.rmsNorm(x, g, 1e-6f, out),
                () -> ScalarKernels.rmsNorm(x.data(), g.data(), 1e-6f, outs, c));
    }

    /** The VAE's GroupNorm: 32 groups over 64 channels of 18×18. */
    private static Probe groupNorm() {
        int c = 64;
        int s = 18 * 18;
        Tensor x = randomTensor(1, c, 18, 18);
        Tensor g = randomTensor(c);
        Tensor b = randomTensor(c);
        Tensor out = Tensor.zeros(1, c, 18, 18);
        float[] outs = new float[c * s];
        return new Probe("group-norm", () -> Norms.groupNorm(x, 32, g, b, 1e-6f, out),
                () -> ScalarKernels.groupNorm(x.data(), 32, g.data(), b.data(), 1e-6f, outs, c));
    }

    /** 3×3 convolution, 16 → 16 channels over 22×22, padding 1. */
    private static Probe conv2d() {
        int c = 16;
        int o = 16;
        int h = 22;
        Tensor x = randomTensor(1, c, h, h);
        WeightTensor w = WeightTensor.convert(randomTensor(o, c, 3, 3), DType.F32);
        Tensor bias = randomTensor(o);
        Tensor out = Tensor.zeros(1, o, h, h);
        float[] outs = new float[o * h * h];
        return new Probe("conv2d", () -> Conv.conv2d(x, w, bias, 1, 1, out),
                () -> ScalarKernels.conv2d(x.data(), c, h, h, w.f32(), o, 3, 3, bias.data(), 1, outs));
    }

    /** Softmax over rows of T5's 300 tokens. */
    private static Probe softmax() {
        int c = 300;
        Tensor x = randomTensor(32, c);
        Tensor out = Tensor.zeros(32, c);
        float[] outs = new float[32 * c];
        return new Probe("softmax", () -> Softmax.lastAxis(x, out),
                () -> ScalarKernels.softmax(x.data(), outs, c));
    }

    private interface TensorOp {
        void apply(Tensor x, Tensor out);
    }

    private interface ArrayOp {
        void apply(float[] x, float[] out);
    }

    private static Probe activation(String name, TensorOp simd, ArrayOp scalar) {
        int n = 12000;
        Tensor x = randomTensor(n);
        Tensor out = Tensor.zeros(n);
        float[] outs = new float[n];
        return new Probe(name, () -> simd.apply(x, out), () -> scalar.apply(x.data(), outs));
    }
}
