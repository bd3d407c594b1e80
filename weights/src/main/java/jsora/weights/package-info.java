/**
 * Checkpoints as users download them (safetensors, PyTorch zip through a restricted unpickler, sharded indexes,
 * the Hugging Face cache), {@code convert}, atomic output files and folders, and CI-DL's
 * {@link jsora.weights.StreamingLoader}, which reads block i+1 while block i computes.
 */
package jsora.weights;
