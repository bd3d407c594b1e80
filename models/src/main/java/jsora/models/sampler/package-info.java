/**
 * Open-Sora 1.2's rectified-flow sampler ({@code RFLOW}): timesteps, classifier-free guidance, the Euler loop, and
 * On-device Sora's Linear Proportional Leap (LPL).
 */
package jsora.models.sampler;
