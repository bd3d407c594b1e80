package jsora.models.sampler;

/**
 * The size of the video being generated, in pixels and frames: what Open-Sora 1.2 passes to the model and to the
 * timestep transform as {@code height}, {@code width} and {@code num_frames}.
 */
public record PixelSize(int height, int width, int frames) {
    public PixelSize {
        if (height < 1 || width < 1 || frames < 1) {
            throw new IllegalArgumentException("video size must be positive, got " + height + "x" + width + " with "
                    + frames + " frames");
        }
    }

    /** {@code height / width} in float32, like the reference's {@code ar} tensor. */
    public float aspectRatio() {
        return (float) ((double) height / width);
    }
}
