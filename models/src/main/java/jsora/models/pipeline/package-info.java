/**
 * Prompt to video ({@link jsora.models.pipeline.Pipeline}, Open-Sora 1.2's {@code scripts/inference.py}): prompt
 * preparation (its caption cleaning is {@link jsora.models.caption}), the three stages (text, denoise, decode), sizes
 * and presets, the memory plan, the report, and the demo and fake models.
 */
package jsora.models.pipeline;
