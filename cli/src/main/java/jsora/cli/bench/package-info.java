/**
 * {@code jsora bench}: timed stages and kernels (GEMM, attention, an STDiT3 block pair, a T5 block, the VAE decode)
 * with GFLOP/s, peak memory and the anchors measured in the same run (BENCHMARKS.md).
 */
package jsora.cli.bench;
