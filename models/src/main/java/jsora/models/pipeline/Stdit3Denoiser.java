package jsora.models.pipeline;

import java.util.Arrays;
import java.util.Optional;
import jsora.models.sampler.Denoiser;
import jsora.models.sampler.PixelSize;
import jsora.models.stdit.STDiT3;
import jsora.tensor.Tensor;
import jsora.weights.LoadStats;

/**
 * STDiT3 as the sampler's {@link Denoiser}: the guidance batch gets the prompt's caption in row 0 and the model's
 * null caption in row 1 ({@link STDiT3#cfgCaption}), the prompt's token mask for both rows, the pixel height, width
 * and fps, the frame mask as {@code x_mask}, and TDTM frame merging while {@code step < mergeSteps} — the keyword
 * arguments RFLOW.sample passes in the reference. Closing the stage closes the model (and its weight streaming).
 */
public final class Stdit3Denoiser implements Stages.VideoDenoiser {
    private final STDiT3 model;

    public Stdit3Denoiser(STDiT3 model) {
        this.model = model;
    }

    @Override
    public Denoiser bind(Caption caption, PixelSize size, int fps, int mergeSteps) {
        Tensor y = model.cfgCaption(caption.y());
        float[] fpsArg = {fps};
        return (zIn, t, frameMask, step) -> {
            int rows = zIn.dim(0);
            float[] ts = new float[rows];
            Arrays.fill(ts, t);
            boolean[][] xMask = new boolean[rows][];
            Arrays.fill(xMask, frameMask);
            return model.forward(new STDiT3.Input(zIn, ts, y, fpsArg, size.height(), size.width())
                    .mask(caption.mask()).xMask(xMask).mergeFrames(step < mergeSteps));
        };
    }

    @Override
    public Optional<LoadStats> streamingStats() {
        return model.streamingStats();
    }

    @Override
    public void close() {
        model.close();
    }
}
