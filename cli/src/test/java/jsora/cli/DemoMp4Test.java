package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import jsora.cli.video.Ffmpeg;
import jsora.cli.video.Mp4Check;
import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.Pipeline;
import jsora.models.pipeline.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's video as a compressed MP4, decoded by FFmpeg, against the same video with --lossless (issue 16). */
class DemoMp4Test {
    @TempDir
    Path dir;

    @Test
    void defaultQualityTakesAFifthOfLosslessWithinThreeDecibels() throws IOException {
        Ffmpeg.assume();
        Video v = new Pipeline(DemoCommand.source(null).open(MemoryPlan.forThisJvm(0)))
                .run(DemoCommand.request("a red panda climbing a snowy pine tree at sunrise", 42, 10, false), s -> { })
                .video();
        Mp4Check.Comparison c = Mp4Check.compareWithLossless(v, dir);
        assertTrue(c.bytes() * 5 <= c.losslessBytes(), c.toString());
        assertTrue(c.psnr() >= c.roundTripPsnr() - 3, c.toString());
    }
}
