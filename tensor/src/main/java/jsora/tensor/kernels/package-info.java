/**
 * The compute kernels on the Vector API: GEMM (packing and a register-tiled micro-kernel), fused attention,
 * norms, activations, softmax, RoPE, convolutions and upsampling. Each is tested against a scalar double-precision
 * reference at every vector width (READING.md, "The kernels and how they are tested").
 */
package jsora.tensor.kernels;
