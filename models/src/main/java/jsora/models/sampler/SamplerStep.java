package jsora.models.sampler;

import jsora.tensor.Tensor;

/**
 * What happened at one sampling step, for progress reports and parity tests.
 *
 * @param index     step index (0-based)
 * @param total     steps in the schedule
 * @param t         the timestep the model saw (0..numTimesteps scale)
 * @param frameMask the frame mask the model saw
 * @param z         the latent entering the step
 * @param modelOut  the raw model output [2B, C', T, H, W]
 * @param velocity  the guided velocity [B, C, T, H, W]
 * @param cosine    LPL's similarity to the previous step's velocity (NaN without LPL or at the first step)
 * @param leapt     whether LPL leapt to t = 0 at this step (the last step then)
 */
public record SamplerStep(int index, int total, float t, boolean[] frameMask, Tensor z, Tensor modelOut,
        Tensor velocity, float cosine, boolean leapt) {
}
