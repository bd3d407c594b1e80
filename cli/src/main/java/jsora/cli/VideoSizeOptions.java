package jsora.cli;

import jsora.models.pipeline.FrameCounts;
import jsora.models.pipeline.GenerationRequest;
import jsora.models.pipeline.OpenSoraSizes;
import jsora.models.pipeline.Presets;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.Timesteps;
import picocli.CommandLine.Option;

/**
 * {@code generate}'s ways to choose the video's size: a preset, Open-Sora 1.2's {@code --resolution} with
 * {@code --aspect-ratio} or {@code --image-size H W}, or {@code --size WxH}; and the frame count.
 */
public class VideoSizeOptions {
    @Option(names = "--preset", paramLabel = "NAME", description = "Size and frame count by name (default "
            + Presets.DEFAULT + "): ondevice-256, ondevice-192 (68 frames), or Open-Sora 1.2's RESOLUTION-RATIO "
            + "such as 240p-9:16 (51 frames); --list-presets shows them all.")
    String preset;

    @Option(names = "--resolution", paramLabel = "R", description = "Open-Sora 1.2's resolution: 144p, 240p, 360p, "
            + "480p, 720p, 1080p, 2k, 4k (and 256, 512, 1024, 2048 with 12:25); with --aspect-ratio, 51 frames.")
    String resolution;

    @Option(names = "--aspect-ratio", paramLabel = "H:W", description = "Open-Sora 1.2's aspect ratio, height:width "
            + "(9:16 is landscape): 3:8, 9:21, 12:25, 1:2, 9:17, 27:50, 9:16, 5:8, 2:3, 3:4, 1:1, 4:3, 3:2, 16:9, 17:9, "
            + "2:1, 50:27.")
    String aspectRatio;

    @Option(names = "--image-size", arity = "2", paramLabel = "N", description = "Height and width in pixels, as "
            + "Open-Sora 1.2's --image-size H W (51 frames).")
    int[] imageSize;

    @Option(names = "--size", paramLabel = "WxH", description = "Width x height in pixels (the preset's frames): "
            + SizeOption.RULE + ".")
    String size;

    @Option(names = "--frames", paramLabel = "N", description = "Frames: 1, or 17 to " + GenerationRequest.MAX_FRAMES
            + ", or Open-Sora 1.2's 2s, 4s, 8s, 16s (51, 102, 204, 408; also 1x ... 8x); overrides the default.")
    String frames;

    /** The size and frame count the options give, or a message naming the option at fault. */
    PixelSize resolve() {
        int ways = (preset != null ? 1 : 0) + (resolution != null || aspectRatio != null ? 1 : 0)
                + (imageSize != null ? 1 : 0) + (size != null ? 1 : 0);
        if (ways > 1) {
            throw new IllegalArgumentException("--preset, --resolution/--aspect-ratio, --image-size and --size each "
                    + "set the size: give one of them");
        }
        if ((resolution == null) != (aspectRatio == null)) {
            throw new IllegalArgumentException(resolution == null ? "--aspect-ratio needs --resolution (e.g. 240p)"
                    : "--resolution needs --aspect-ratio (e.g. 9:16, height:width)");
        }
        PixelSize base;
        if (resolution != null) {
            int[] hw = OpenSoraSizes.imageSize(resolution, aspectRatio);
            base = new PixelSize(hw[0], hw[1], Presets.OPEN_SORA_FRAMES);
        } else if (imageSize != null) {
            base = checkedImageSize(imageSize[0], imageSize[1]);
        } else {
            base = Presets.get(preset == null ? Presets.DEFAULT : preset);
            if (size != null) {
                int[] wh = SizeOption.parse(size);
                base = new PixelSize(wh[1], wh[0], base.frames());
            }
        }
        int f = frames == null ? base.frames() : FrameCounts.parse(frames);
        if (f < 1 || f > GenerationRequest.MAX_FRAMES) {
            boolean named = !frames.trim().equals(Integer.toString(f));
            throw new IllegalArgumentException("--frames " + frames + (named ? " (" + f + " frames)" : "")
                    + ": must be 1, or 17 to " + GenerationRequest.MAX_FRAMES);
        }
        try {
            Timesteps.checkFrames(f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        return new PixelSize(base.height(), base.width(), f);
    }

    private static PixelSize checkedImageSize(int h, int w) {
        if (SizeOption.nearest(h) != h || SizeOption.nearest(w) != w) {
            throw new IllegalArgumentException("--image-size " + h + " " + w + ": " + SizeOption.RULE
                    + "; nearest that works: --image-size " + SizeOption.nearest(h) + " " + SizeOption.nearest(w));
        }
        return new PixelSize(h, w, Presets.OPEN_SORA_FRAMES);
    }
}
