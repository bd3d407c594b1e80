package jsora.tensor.kernels;

import java.util.Random;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Plain scalar references for the kernels, accumulating in double, written for clarity only; plus the test inputs
 * (random tensors, thread counts).
 */
final class Ref {
    private Ref() {
    }

    /** A tensor over {@code values} (Tensor.wrap with an explicit shape array, avoiding its offset overload). */
    static Tensor of(float[] values, int... shape) {
        return Tensor.wrap(values, shape);
    }

    static Tensor randn(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (r.nextGaussian() * scale);
        }
        return t;
    }

    /** Runs {@code body} with the pool at {@code threads} threads, restoring the previous count. */
    static void withThreads(int threads, Runnable body) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            body.run();
        } finally {
            Parallel.setThreads(before);
        }
    }

    static Tensor softmax(Tensor x) {
        int c = x.dim(-1);
        Tensor out = Tensor.zeros(x.shape());
        for (int r = 0; r < x.size() / c; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) {
                max = Math.max(max, x.data()[r * c + i]);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < c; i++) {
                sum += Math.exp(x.data()[r * c + i] - max);
            }
            for (int i = 0; i < c; i++) {
                out.data()[r * c + i] = (float) (Math.exp(x.data()[r * c + i] - max) / sum);
            }
        }
        return out;
    }

    /** softmax(q·kᵀ·scale + bias + mask)·v with excluded keys dropped; no finite logit gives a zero row. */
    static Tensor sdpa(Tensor q, Tensor k, Tensor v, Attention.Options o) {
        int b = q.dim(0);
        int h = q.dim(1);
        int lq = q.dim(2);
        int d = q.dim(3);
        int lk = k.dim(2);
        int dv = v.dim(3);
        double scale = Float.isNaN(o.scale) ? 1.0 / Math.sqrt(d) : o.scale;
        Tensor out = Tensor.zeros(b, h, lq, dv);
        double[] s = new double[lk];
        for (int bi = 0; bi < b; bi++) {
            int valid = o.keyLengths == null ? lk : Math.max(0, Math.min(lk, o.keyLengths[bi]));
            for (int hi = 0; hi < h; hi++) {
                for (int i = 0; i < lq; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < valid; j++) {
                        double dot = 0;
                        for (int p = 0; p < d; p++) {
                            dot += (double) q.at(bi, hi, i, p) * k.at(bi, hi, j, p);
                        }
                        // the logit is a float in the kernel; a finite mask may round it to the same value
                        float logit = (float) (dot * scale);
                        if (o.relativeBias != null) {
                            logit += o.relativeBias.data()[hi * (lq + lk - 1) + i - j + lk - 1];
                        }
                        if (o.keyMask != null) {
                            logit += o.keyMask.data()[bi * lk + j];
                        }
                        s[j] = logit;
                        max = Math.max(max, s[j]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < valid; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int p = 0; p < dv; p++) {
                        double acc = 0;
                        for (int j = 0; j < valid; j++) {
                            acc += s[j] * v.at(bi, hi, j, p);
                        }
                        out.put((float) (acc / sum), bi, hi, i, p);
                    }
                }
            }
        }
        return out;
    }

    static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        int c = x.dim(-1);
        Tensor out = Tensor.zeros(x.shape());
        for (int r = 0; r < x.size() / c; r++) {
            double mean = 0;
            for (int i = 0; i < c; i++) {
                mean += x.data()[r * c + i];
            }
            mean /= c;
            double var = 0;
            for (int i = 0; i < c; i++) {
                var += Math.pow(x.data()[r * c + i] - mean, 2);
            }
            var /= c;
            for (int i = 0; i < c; i++) {
                double y = (x.data()[r * c + i] - mean) / Math.sqrt(var + eps);
                y = y * (gamma == null ? 1 : gamma.data()[i]) + (beta == null ? 0 : beta.data()[i]);
                out.data()[r * c + i] = (float) y;
            }
        }
        return out;
    }

    static Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
        int c = x.dim(-1);
        Tensor out = Tensor.zeros(x.shape());
        for (int r = 0; r < x.size() / c; r++) {
            double ms = 0;
            for (int i = 0; i < c; i++) {
                ms += Math.pow(x.data()[r * c + i], 2);
            }
            ms /= c;
            for (int i = 0; i < c; i++) {
                double w = weight == null ? 1 : weight.data()[i];
                out.data()[r * c + i] = (float) (x.data()[r * c + i] / Math.sqrt(ms + eps) * w);
            }
        }
        return out;
    }

    static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, double eps) {
        int n = x.dim(0);
        int c = x.dim(1);
        int spatial = x.size() / (n * c);
        int cpg = c / groups;
        Tensor out = Tensor.zeros(x.shape());
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                int start = (b * c + g * cpg) * spatial;
                int len = cpg * spatial;
                double mean = 0;
                for (int i = 0; i < len; i++) {
                    mean += x.data()[start + i];
                }
                mean /= len;
                double var = 0;
                for (int i = 0; i < len; i++) {
                    var += Math.pow(x.data()[start + i] - mean, 2);
                }
                var /= len;
                for (int i = 0; i < len; i++) {
                    int ch = g * cpg + i / spatial;
                    double y = (x.data()[start + i] - mean) / Math.sqrt(var + eps);
                    y = y * (gamma == null ? 1 : gamma.data()[ch]) + (beta == null ? 0 : beta.data()[ch]);
                    out.data()[start + i] = (float) y;
                }
            }
        }
        return out;
    }

    static double gelu(double x) {
        // Φ(x) through erfc on the negative side, where 1 + erf(x/√2) would cancel
        double z = Math.abs(x) / Math.sqrt(2);
        double tail = z < 0.5 ? 1 - Erf.erf(z) : Erf.erfc(z);
        return x * (x < 0 ? 0.5 * tail : 1 - 0.5 * tail);
    }

    /** ½x(1 + tanh u) written as x·σ(2u), the same value without cancellation for negative x. */
    static double geluTanh(double x) {
        double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return x / (1 + Math.exp(-2 * u));
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** out[2i] = x[2i]·cos − x[2i+1]·sin, out[2i+1] = x[2i+1]·cos + x[2i]·sin, per position row of the tables. */
    static Tensor rope(Tensor x, Tensor cos, Tensor sin) {
        int d = x.dim(-1);
        int l = x.dim(-2);
        Tensor out = x.copy();
        for (int r = 0; r < x.size() / d; r++) {
            int p = r % l;
            for (int i = 0; i + 1 < d; i += 2) {
                double x0 = x.data()[r * d + i];
                double x1 = x.data()[r * d + i + 1];
                out.data()[r * d + i] = (float) (x0 * cos.at(p, i) - x1 * sin.at(p, i));
                out.data()[r * d + i + 1] = (float) (x1 * cos.at(p, i + 1) + x0 * sin.at(p, i + 1));
            }
        }
        return out;
    }

    /** Direct convolution; pad = {tFront, tBack, hTop, hBottom, wLeft, wRight}. */
    static Tensor conv3d(Tensor x, WeightTensor w, int kt, Tensor bias, int[] st, int[] pad) {
        int n = x.dim(0);
        int c = x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int wd = x.dim(4);
        int o = w.dim(0);
        int kh = w.dim(-2);
        int kw = w.dim(-1);
        int ot = (t + pad[0] + pad[1] - kt) / st[0] + 1;
        int oh = (h + pad[2] + pad[3] - kh) / st[1] + 1;
        int ow = (wd + pad[4] + pad[5] - kw) / st[2] + 1;
        Tensor out = Tensor.zeros(n, o, ot, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int zt = 0; zt < ot; zt++) {
                    for (int zy = 0; zy < oh; zy++) {
                        for (int zx = 0; zx < ow; zx++) {
                            double s = bias == null ? 0 : bias.data()[oc];
                            for (int ic = 0; ic < c; ic++) {
                                for (int dt = 0; dt < kt; dt++) {
                                    for (int dy = 0; dy < kh; dy++) {
                                        for (int dx = 0; dx < kw; dx++) {
                                            int it = zt * st[0] - pad[0] + dt;
                                            int iy = zy * st[1] - pad[2] + dy;
                                            int ix = zx * st[2] - pad[4] + dx;
                                            if (it < 0 || it >= t || iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                                continue;
                                            }
                                            s += (double) x.at(b, ic, it, iy, ix)
                                                    * w.get((((oc * c + ic) * kt + dt) * kh + dy) * kw + dx);
                                        }
                                    }
                                }
                            }
                            out.put((float) s, b, oc, zt, zy, zx);
                        }
                    }
                }
            }
        }
        return out;
    }

    static Tensor nearest3d(Tensor x, int ft, int fs) {
        int n = x.dim(0);
        int c = x.dim(1);
        Tensor out = Tensor.zeros(n, c, x.dim(2) * ft, x.dim(3) * fs, x.dim(4) * fs);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < out.dim(2); t++) {
                    for (int y = 0; y < out.dim(3); y++) {
                        for (int z = 0; z < out.dim(4); z++) {
                            out.put(x.at(b, ch, t / ft, y / fs, z / fs), b, ch, t, y, z);
                        }
                    }
                }
            }
        }
        return out;
    }
}
