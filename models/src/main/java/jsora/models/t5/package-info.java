/**
 * The T5 v1.1 tokenizer (Hugging Face {@code tokenizers}' Unigram pipeline, from tokenizer.json or spiece.model)
 * and encoder (HF {@code T5EncoderModel}), its blocks streamed from the checkpoint.
 */
package jsora.models.t5;
