package jsora.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jsora.models.ProjectGolden;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with every golden case named "vae-*" (the reference's fp32 CPU outputs on tiny random-weight models, read
 * through the real safetensors loader). Which parts a case exercises is read from the tensors it holds: temporal VAE
 * alone, spatial VAE alone, or the whole pipeline. Tolerance: max|diff| ≤ 1e-4·max(1, max|expected|) for every
 * output and intermediate (the README's fp32-vs-fp64 spread is ≈1e-6 relative); 8-bit frames: off by at most 1,
 * on at most 0.1 % of the values (rounding boundary).
 */
@Tag("golden")
class VaeGoldenTest {
    private static final double TOL = 1e-4;

    /** The shared cases, when the golden folder is there. */
    @TestFactory
    List<DynamicTest> everyVaeCase() {
        return tests(Golden.cases("vae-"));
    }

    /**
     * The cases this project made itself with the reference code (src/test/resources/golden-extra, each with its
     * make.py and README): they run wherever the tests run.
     */
    @TestFactory
    List<DynamicTest> everyProjectVaeCase() {
        return tests(ProjectGolden.cases("vae-"));
    }

    private static List<DynamicTest> tests(List<Path> dirs) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
        }
        return tests;
    }

    private static void check(Path dir) {
        worst = 0;
        VaeConfig config = VaeConfig.parse(dir.resolve("config.json"));
        try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
            VideoAutoencoderPipeline vae = VideoAutoencoderPipeline.load(dir.resolve("model.safetensors"), config,
                    VideoAutoencoderPipeline.Parts.BOTH);
            String name = dir.getFileName().toString();
            if (io.contains("decode0.in.z")) {
                checkPipeline(name, vae, io, dir.resolve("model.safetensors"));
            } else if (io.contains("mid.decode.first_microbatch.decoder.conv_in")) {
                checkSpatial(name, vae.spatialVae(), config, io);
            } else if (io.contains("mid.decode.decoder.conv1")) {
                checkTemporal(name, vae.temporalVae(), io);
            } else {
                fail(name + ": no VAE test knows this case's tensors " + io.keys());
            }
            System.out.printf("%s: largest error %.2e relative to max(1, max|expected|)%n", name, worst);
        }
    }

    private static void checkTemporal(String name, VaeTemporal vae, SafeTensors io) {
        Tensor z = io.tensor("in.z");
        int frames = io.tensor("out.decode").dim(2);
        Map<String, Tensor> taps = new HashMap<>();
        Tensor decoded = vae.decode(z, frames, (n, t) -> taps.put(n, t.copy()));
        assertTrue(compareTaps(name, io, "mid.decode.", taps) > 0, name + ": no intermediates compared");
        close(name + " decode", io.tensor("out.decode"), decoded, TOL);

        DiagonalGaussian posterior = vae.encode(io.tensor("in.x"));
        close(name + " encode mean", io.tensor("out.encode_mean"), posterior.mean(), TOL);
        close(name + " encode std", io.tensor("out.encode_std"), posterior.std(), TOL);
    }

    private static void checkSpatial(String name, VideoAutoencoderKL vae, VaeConfig config, SafeTensors io) {
        Tensor z = io.tensor("in.z");
        int batch = config.microBatchSize();
        Tensor first = TimeAxis.frames(z, 0, batch);
        for (int i = 0; i < first.size(); i++) {
            first.data()[i] /= VaeConfig.SPATIAL_SCALING;
        }
        Map<String, Tensor> taps = new HashMap<>();
        vae.module().decode(first, (n, t) -> taps.put(n, t.copy()));
        assertTrue(compareTaps(name, io, "mid.decode.first_microbatch.", taps) > 0,
                name + ": no intermediates compared");
        close(name + " decode", io.tensor("out.decode"), vae.decode(z), TOL);

        Tensor x = io.tensor("in.x");
        DiagonalGaussian posterior = vae.module().encode(TimeAxis.frames(x, 0, x.dim(0) * x.dim(2)));
        close(name + " posterior mean", io.tensor("mid.encode.posterior_mean"), posterior.mean(), TOL);
        close(name + " posterior std", io.tensor("mid.encode.posterior_std"), posterior.std(), TOL);
        close(name + " encode", io.tensor("out.encode"), vae.encode(x, io.tensor("mid.encode.noise")),
                TOL);
        close(name + " encode (mean)", io.tensor("out.encode_mean_scaled"), vae.encode(x, null), TOL);
    }

    /**
     * Streaming the weights layer by layer gives the very same video and latents; fp16 weight storage stays within
     * 1e-2 (weights rounded to 11 significant bits).
     */
    private static void checkLowMemoryModes(String name, VideoAutoencoderPipeline vae, SafeTensors io, Path model) {
        Tensor z = io.tensor("decode0.in.z");
        int frames = Math.round(io.tensor("decode0.in.num_frames").data()[0]);
        Tensor expected = io.tensor("decode0.out.video");
        VideoAutoencoderPipeline streamed = VideoAutoencoderPipeline.load(model, vae.config(),
                VideoAutoencoderPipeline.Parts.BOTH, DType.F32, false);
        Approx.assertClose(name + " decode, streamed", vae.decode(z, frames), streamed.decode(z, frames), 0);
        Tensor x = io.tensor("encode.in.x");
        Approx.assertClose(name + " encode, streamed", vae.encode(x, null, null), streamed.encode(x, null, null), 0);
        VideoAutoencoderPipeline half = VideoAutoencoderPipeline.load(model, vae.config(),
                VideoAutoencoderPipeline.Parts.DECODER, DType.F16, false);
        Tensor video = half.decode(z, frames);
        Approx.assertClose(name + " decode, fp16 weights", expected, video, 1e-2);
        System.out.printf("%s: fp16 weights: largest error %.2e relative%n", name,
                Approx.maxAbsDiff(expected, video) / Math.max(1, Approx.maxAbs(expected)));
    }

    private static void checkPipeline(String name, VideoAutoencoderPipeline vae, SafeTensors io, Path modelFile) {
        int decodes = 0;
        for (String d = "decode0."; io.contains(d + "in.z"); d = "decode" + (++decodes) + ".") {
            Tensor z = io.tensor(d + "in.z");
            int frames = Math.round(io.tensor(d + "in.num_frames").data()[0]);
            assertEquals(z.dim(2), vae.latentFrames(frames), name + " " + d + " latent frames for " + frames);
            Tensor xz = vae.decodeTemporal(z, frames);
            close(name + " " + d + "x_z", io.tensor(d + "mid.x_z"), xz, TOL);
            Tensor video = vae.spatialVae().decode(xz);
            close(name + " " + d + "video", io.tensor(d + "out.video"), video, TOL);
            close(name + " " + d + "video (one call)", video, vae.decode(z, frames), 0);
            checkFrames(name + " " + d + "uint8 frames", io.tensor(d + "out.uint8_frames"),
                    VideoFrames.toUint8(video, 0));
        }
        assertTrue(decodes > 0, name + ": no decode0 found");
        checkLowMemoryModes(name, vae, io, modelFile);

        Tensor x = io.tensor("encode.in.x");
        Tensor spatialNoise = io.tensor("encode.mid.spatial_noise");
        Tensor temporalNoise = io.tensor("encode.mid.temporal_noise");
        close(name + " encode x_z", io.tensor("encode.mid.x_z"),
                vae.spatialVae().encode(x, spatialNoise), TOL);
        close(name + " encode", io.tensor("encode.out.z"), vae.encode(x, spatialNoise, temporalNoise),
                TOL);
        // z_from_means: the spatial latents sampled with the recorded noise, the temporal posterior's mean
        close(name + " encode (temporal mean)", io.tensor("encode.out.z_from_means"),
                vae.encode(x, spatialNoise, null), TOL);
    }

    private static double worst;

    /** Approx.assertClose, remembering the largest relative error seen in the current case. */
    private static void close(String what, Tensor expected, Tensor actual, double tol) {
        Approx.assertClose(what, expected, actual, tol);
        worst = Math.max(worst, Approx.maxAbsDiff(expected, actual) / Math.max(1, Approx.maxAbs(expected)));
    }

    /**
     * Compares every expected "prefix + name" intermediate the case holds (as many as its model's config gives) with
     * the tap of that name, failing on any the decoder did not produce; returns how many.
     */
    private static int compareTaps(String name, SafeTensors io, String prefix, Map<String, Tensor> taps) {
        int n = 0;
        for (String key : io.keys()) {
            if (!key.startsWith(prefix) || key.startsWith(prefix.replace("decode", "encode"))) {
                continue;
            }
            String module = key.substring(prefix.length());
            Tensor actual = taps.get(module);
            if (actual == null) {
                fail(name + ": no intermediate '" + module + "' was produced; have " + taps.keySet());
            }
            close(name + " " + module, io.tensor(key), actual, TOL);
            n++;
        }
        return n;
    }

    private static void checkFrames(String what, Tensor expected, byte[] actual) {
        assertEquals(expected.size(), actual.length, what + ": size");
        int off = 0;
        for (int i = 0; i < actual.length; i++) {
            int d = Math.abs(Math.round(expected.data()[i]) - (actual[i] & 0xff));
            assertTrue(d <= 1, what + ": value " + i + " differs by " + d);
            off += d;
        }
        assertTrue(off <= actual.length / 1000, what + ": " + off + " values off by one");
    }
}
