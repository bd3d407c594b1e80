package jsora.cli.bench;

import jsora.tensor.WeightTensor;

/**
 * The hot kernels' math as plain Java loops in float, the way a straightforward engine would write them: the
 * yardstick {@link BenchSimdCheckCommand} holds the Vector API kernels against. Arrays are row-major and dense.
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** y[M, N] = x[M, K]·wᵀ + bias; each weight row is converted to float once. */
    static void linear(float[] x, WeightTensor w, float[] bias, float[] y, int m) {
        int n = w.dim(0);
        int k = w.dim(1);
        float[] row = new float[k];
        for (int j = 0; j < n; j++) {
            w.toFloat(j * k, row, 0, k);
            for (int i = 0; i < m; i++) {
                float s = bias[j];
                for (int p = 0; p < k; p++) {
                    s += x[i * k + p] * row[p];
                }
                y[i * n + j] = s;
            }
        }
    }

    /**
     * softmax(q·kᵀ·scale + bias)·v for each of {@code heads} [L, D] slices; bias by offset [heads, 2L − 1] (query i,
     * key j: {@code bias[h, i − j + L − 1]}) or null.
     */
    static void attention(float[] q, float[] k, float[] v, float[] bias, float[] out, int heads, int l, int d) {
        float scale = (float) (1 / Math.sqrt(d));
        float[] p = new float[l];
        for (int h = 0; h < heads; h++) {
            int base = h * l * d;
            for (int i = 0; i < l; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < l; j++) {
                    float s = 0;
                    for (int c = 0; c < d; c++) {
                        s += q[base + i * d + c] * k[base + j * d + c];
                    }
                    p[j] = s * scale + (bias == null ? 0 : bias[h * (2 * l - 1) + i - j + l - 1]);
                    max = Math.max(max, p[j]);
                }
                float sum = 0;
                for (int j = 0; j < l; j++) {
                    p[j] = (float) Math.exp(p[j] - max);
                    sum += p[j];
                }
                for (int c = 0; c < d; c++) {
                    float s = 0;
                    for (int j = 0; j < l; j++) {
                        s += p[j] * v[base + j * d + c];
                    }
                    out[base + i * d + c] = s / sum;
                }
            }
        }
    }

    /** LayerNorm over rows of length c. */
    static void layerNorm(float[] x, float[] gamma, float[] beta, float eps, float[] out, int c) {
        for (int r = 0; r < x.length / c; r++) {
            int o = r * c;
            float mean = 0;
            for (int i = 0; i < c; i++) {
                mean += x[o + i];
            }
            mean /= c;
            float var = 0;
            for (int i = 0; i < c; i++) {
                float t = x[o + i] - mean;
                var += t * t;
            }
            float inv = (float) (1 / Math.sqrt(var / c + eps));
            for (int i = 0; i < c; i++) {
                out[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
    }

    /** RMSNorm over rows of length c. */
    static void rmsNorm(float[] x, float[] weight, float eps, float[] out, int c) {
        for (int r = 0; r < x.length / c; r++) {
            int o = r * c;
            float ss = 0;
            for (int i = 0; i < c; i++) {
                ss += x[o + i] * x[o + i];
            }
            float inv = (float) (1 / Math.sqrt(ss / c + eps));
            for (int i = 0; i < c; i++) {
                out[o + i] = x[o + i] * inv * weight[i];
            }
        }
    }

    /** GroupNorm over x[C, S] (one sample, S spatial positions) in {@code groups} groups of channels. */
    static void groupNorm(float[] x, int groups, float[] gamma, float[] beta, float eps, float[] out, int c) {
        int s = x.length / c;
        int len = c / groups * s;
        for (int g = 0; g < groups; g++) {
            int o = g * len;
            float mean = 0;
            for (int i = 0; i < len; i++) {
                mean += x[o + i];
            }
            mean /= len;
            float var = 0;
            for (int i = 0; i < len; i++) {
                float t = x[o + i] - mean;
                var += t * t;
            }
            float inv = (float) (1 / Math.sqrt(var / len + eps));
            for (int i = 0; i < len; i++) {
                int ch = (o + i) / s;
                out[o + i] = (x[o + i] - mean) * inv * gamma[ch] + beta[ch];
            }
        }
    }

    /** conv2d of x[C, H, W] with w[O, C, kh, kw], stride 1, zero padding {@code pad}: out[O, H', W']. */
    static void conv2d(float[] x, int c, int h, int wd, float[] w, int o, int kh, int kw, float[] bias, int pad,
            float[] out) {
        int oh = h + 2 * pad - kh + 1;
        int ow = wd + 2 * pad - kw + 1;
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float s = bias[oc];
                    for (int ic = 0; ic < c; ic++) {
                        for (int i = 0; i < kh; i++) {
                            int iy = y + i - pad;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int j = 0; j < kw; j++) {
                                int ix = xx + j - pad;
                                if (ix >= 0 && ix < wd) {
                                    s += x[(ic * h + iy) * wd + ix] * w[((oc * c + ic) * kh + i) * kw + j];
                                }
                            }
                        }
                    }
                    out[(oc * oh + y) * ow + xx] = s;
                }
            }
        }
    }

    /** Softmax over rows of length c. */
    static void softmax(float[] x, float[] out, int c) {
        for (int r = 0; r < x.length / c; r++) {
            int o = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) {
                max = Math.max(max, x[o + i]);
            }
            float sum = 0;
            for (int i = 0; i < c; i++) {
                out[o + i] = (float) Math.exp(x[o + i] - max);
                sum += out[o + i];
            }
            for (int i = 0; i < c; i++) {
                out[o + i] /= sum;
            }
        }
    }

    /** Exact GELU x·Φ(x), Φ through erfc by the Numerical Recipes fit the SIMD kernel uses. */
    static void gelu(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            float z = Math.abs(x[i]) * 0.70710678f;
            float t = 1 / (1 + 0.5f * z);
            float erfc = t * (float) Math.exp(-z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f
                    + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f
                    + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f)))))))));
            out[i] = x[i] * (x[i] >= 0 ? 1 - 0.5f * erfc : 0.5f * erfc);
        }
    }

    /** GELU with the tanh approximation. */
    static void geluTanh(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            float u = 0.7978845608f * (x[i] + 0.044715f * x[i] * x[i] * x[i]);
            out[i] = 0.5f * x[i] * (1 + (float) Math.tanh(u));
        }
    }

    /** SiLU x·σ(x). */
    static void silu(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / (1 + (float) Math.exp(-x[i]));
        }
    }
}
