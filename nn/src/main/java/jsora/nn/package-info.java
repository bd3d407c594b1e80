/**
 * Layers that own weights and call the kernels: Linear, LayerNorm, RmsNorm, GroupNorm, Conv2d, CausalConv3d,
 * Mlp, GatedMlp, ResnetBlock2D, Upsample2D, SelfAttention2D. No model wiring.
 */
package jsora.nn;
