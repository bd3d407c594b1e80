/**
 * The Open-Sora VAE v1.2: diffusers' AutoencoderKL per frame (8x in space) and Open-Sora's VAE_Temporal (4x in
 * time), chained by {@link jsora.models.vae.VideoAutoencoderPipeline} over 17-frame chunks.
 */
package jsora.models.vae;
