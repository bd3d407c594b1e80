package jsora.cli;

import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.Stages;

/** Supplies the networks for {@code generate}: from checkpoints on disk, or built in memory for the demo and tests. */
public interface ModelSource {
    /**
     * The models, ready to open stage by stage.
     *
     * @param plan how much of the heap each stage may keep resident (CI-DL streams the rest)
     */
    Stages.Models open(MemoryPlan plan);
}
