package jsora.cli;

import jsora.models.pipeline.Caption;
import jsora.models.pipeline.Stages;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/**
 * Test doubles of the three networks with the real shapes (not the real maths): a caption from the prompt's
 * characters, a "denoiser" whose velocity pulls z towards a caption-dependent pattern (computed with the shared
 * thread pool, so thread counts are exercised), and a "decoder" that upsamples the latent ×8 to RGB.
 */
final class FakeModels implements ModelSource {
    @Override
    public Stages.Models open(long memoryBudget) {
        return new Stages.Models() {
            @Override
            public Stages.TextEncoder textEncoder() {
                return prompt -> {
                    Tensor y = Tensor.zeros(1, 1, 8, 4);
                    for (int i = 0; i < prompt.length(); i++) {
                        y.data()[i % 32] += prompt.charAt(i) / 128f;
                    }
                    Tensor mask = Tensor.zeros(1, 8);
                    mask.fill(1f);
                    return new Caption(y, mask);
                };
            }

            @Override
            public Stages.VideoDenoiser denoiser() {
                return (caption, size, fps, mergeSteps) -> (zIn, t, frameMask, step) -> {
                    int[] s = zIn.shape();
                    s[1] *= 2;
                    Tensor out = Tensor.zeros(s);
                    int per = zIn.size() / zIn.dim(0);
                    int rows = zIn.dim(0);
                    float[] y = caption.y().data();
                    Parallel.forRange(per, 64, (from, to) -> {
                        for (int r = 0; r < rows; r++) {
                            for (int i = from; i < to; i++) {
                                float target = r < rows / 2 ? (float) Math.sin(i * 0.05 + y[i % 32]) : 0f;
                                out.data()[r * 2 * per + i] = target - zIn.data()[r * per + i] * (t / 1000f);
                            }
                        }
                    });
                    return out;
                };
            }

            @Override
            public Stages.VideoDecoder decoder() {
                return (z, frames) -> {
                    int t = z.dim(2);
                    int h = z.dim(3) * 8;
                    int w = z.dim(4) * 8;
                    Tensor v = Tensor.zeros(1, 3, frames, h, w);
                    for (int c = 0; c < 3; c++) {
                        for (int f = 0; f < frames; f++) {
                            for (int y = 0; y < h; y++) {
                                for (int x = 0; x < w; x++) {
                                    v.put((float) Math.tanh(z.at(0, c, f * t / frames, y / 8, x / 8)), 0, c, f, y, x);
                                }
                            }
                        }
                    }
                    return v;
                };
            }
        };
    }
}
