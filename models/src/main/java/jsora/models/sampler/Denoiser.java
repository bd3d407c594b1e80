package jsora.models.sampler;

import jsora.tensor.Tensor;

/**
 * The network the sampler integrates: for Open-Sora 1.2 an STDiT3 bound to one prompt's conditioning
 * (caption embedding and null caption, token mask, pixel height/width/fps). The sampler owns the classifier-free
 * guidance batch layout; the denoiser only has to honour it.
 */
@FunctionalInterface
public interface Denoiser {

    /**
     * One forward pass over the guidance batch.
     *
     * @param zIn       {@code [2B, C, T, H, W]}: rows {@code 0..B-1} are the latents with the prompt (conditional),
     *                  rows {@code B..2B-1} the same latents with the null caption (unconditional)
     * @param t         the timestep of every row, on the 0..{@code numTimesteps} scale (after the transform)
     * @param frameMask per latent frame: {@code true} = the frame is denoised at {@code t}; {@code false} = it is
     *                  treated as clean and modulated with timestep 0 (STDiT3's {@code x_mask}, the same for all rows)
     * @param step      index of the sampling step, counted from 0 (On-device Sora's TDTM merges tokens while
     *                  {@code step < merge_steps})
     * @return {@code [2B, C', T, H, W]} with {@code C' >= C}; channels {@code 0..C-1} are the predicted velocity
     *         (STDiT3 with {@code pred_sigma} returns 2C channels, the second half unused)
     */
    Tensor predict(Tensor zIn, float t, boolean[] frameMask, int step);
}
