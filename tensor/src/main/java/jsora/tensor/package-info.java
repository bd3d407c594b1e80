/**
 * Tensors and weight storage: {@link jsora.tensor.Tensor} (float32 data and a shape), {@link jsora.tensor.WeightTensor}
 * (fp32, bf16, fp16 or int8 weights), the thread pool ({@link jsora.tensor.Parallel}) and the vector width
 * ({@link jsora.tensor.Simd}). Nothing here knows a model.
 */
package jsora.tensor;
