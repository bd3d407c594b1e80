package jsora.cli;

import jsora.cli.video.H264Settings;
import picocli.CommandLine.Option;

/** How an {@code .mp4} is encoded: {@code --quality} or {@code --lossless} (shared by generate and demo). */
public class Mp4Options {
    @Option(names = "--quality", paramLabel = "Q", defaultValue = "" + H264Settings.DEFAULT_QUALITY,
            description = "MP4: H.264 quality, 0 to 100, higher is better and larger (default ${DEFAULT-VALUE}). "
            + "The quantiser is QP = 39 - round(Q x 0.27) for a moderately detailed video (100: QP 12, ${DEFAULT-VALUE}: QP 25, 0: QP 39), "
            + "plus 4 per doubling of the video's detail (mean deviation from the 16x16 block means; 8 levels: +0), "
            + "within 12 to 39.")
    int quality;

    @Option(names = "--lossless", description = "MP4: store the frames uncompressed (I_PCM, exactly the 4:2:0 samples, "
            + "about 1.5 bytes per pixel per frame) instead of compressed H.264.")
    boolean lossless;

    H264Settings settings() {
        return new H264Settings(quality, lossless);
    }
}
