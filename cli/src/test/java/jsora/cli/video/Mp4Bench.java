package jsora.cli.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jsora.models.pipeline.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * BENCHMARKS.md's "MP4 (H.264) encoding": file size and encode time per frame of the synthetic moving-pattern video
 * at 256² (68 frames) and 720p (51 frames), compressed at the default quality and {@code --lossless}. Run with
 * {@code mvn -B -ntp -o -pl cli -am test -Dtest=Mp4Bench -Djsora.bench.mp4=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jsora.bench.mp4", matches = "true")
class Mp4Bench {
    @TempDir
    Path dir;

    @Test
    void encode() throws IOException {
        Video small = Mp4CompressionTest.movingSquare(68, 256, 256);
        Video hd = Mp4CompressionTest.movingSquare(51, 720, 1280);
        Mp4Writer.write(small, dir.resolve("warm.mp4"), H264Settings.DEFAULT); // JIT warm-up
        for (Video v : new Video[] {small, hd}) {
            for (H264Settings s : new H264Settings[] {H264Settings.DEFAULT, Mp4Check.LOSSLESS}) {
                Path out = dir.resolve("b.mp4");
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 2; rep++) {
                    long t0 = System.nanoTime();
                    Mp4Writer.write(v, out, s);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf(Locale.ROOT, "%dx%d x %d %s: %d bytes, %.1f ms per frame%n", v.width(), v.height(),
                        v.frames(), s.lossless() ? "lossless" : "quality " + s.quality(), Files.size(out),
                        best / 1e6 / v.frames());
            }
        }
    }
}
