package jsora.models.stdit;

import jsora.tensor.Tensor;

/** Spatial block i and temporal block i, which always run one after the other. */
public final class BlockPair {
    public final STDiT3Block spatial;
    public final STDiT3Block temporal;

    public BlockPair(STDiT3Block spatial, STDiT3Block temporal) {
        this.spatial = spatial;
        this.temporal = temporal;
    }

    /** Runs spatial block i then temporal block i on x [B, T·S, C] in place. */
    public void forward(Tensor x, BlockContext ctx, int i) {
        spatial.forward(x, ctx, "spatial_blocks." + i);
        temporal.forward(x, ctx, "temporal_blocks." + i);
    }

    /** Loads {@code spatial_blocks.i.*} and {@code temporal_blocks.i.*}. */
    public static BlockPair load(Params p, STDiT3Config c, int i) {
        return new BlockPair(STDiT3Block.load(p.under("spatial_blocks." + i + "."), c, false),
                STDiT3Block.load(p.under("temporal_blocks." + i + "."), c, true));
    }
}
