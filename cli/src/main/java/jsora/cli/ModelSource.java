package jsora.cli;

import jsora.models.pipeline.Stages;

/** Supplies the networks for {@code generate}: from checkpoints on disk, or built in memory for the demo and tests. */
public interface ModelSource {
    /**
     * The models, ready to open stage by stage.
     *
     * @param memoryBudget bytes the models may keep resident (CI-DL streams the rest); 0 = no limit
     */
    Stages.Models open(long memoryBudget);
}
