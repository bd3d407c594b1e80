/**
 * STDiT3 ({@code opensora/models/stdit/stdit3.py}): embedders, the spatial and temporal blocks, attention and
 * cross-attention, TDTM's frame merging ({@link jsora.models.stdit.FrameMerge}) and the streamed block pairs
 * (CI-DL).
 */
package jsora.models.stdit;
