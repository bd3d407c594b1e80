package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every golden weight file ({@code model*.safetensors}, {@code pytorch_model.bin}) loads through the real loader, and
 * files holding the same weights agree bit for bit: a bf16/fp16 file equals its fp32 reference rounded to nearest even
 * (reference = {@code model.safetensors} beside a {@code model_<dtype>.safetensors}, or the case folder without the
 * {@code -bf16}/{@code -fp16} suffix), and a {@code pytorch_model.bin} equals the {@code model.safetensors} beside it.
 */
@Tag("golden")
class GoldenLoadingTest {

    private static List<Path> weightFiles() {
        return Golden.weightFiles();
    }

    @Test
    void everyGoldenWeightFileLoads() {
        for (Path f : weightFiles()) {
            try (Checkpoint c = Checkpoints.open(f)) {
                assertFalse(c.keys().isEmpty(), f + " has no tensors");
                for (String k : c.keys()) {
                    TensorInfo info = c.info(k);
                    if (info.type().isFloat()) {
                        WeightTensor w = c.weight(k, info.shape);
                        assertEquals(info.numel(), w.size(), f + " " + k);
                        assertEquals(info.type().memoryType(), w.dtype(), f + " " + k);
                    } else {
                        assertEquals(info.numel(), c.longs(k).length, f + " " + k);
                    }
                }
            }
        }
    }

    @Test
    void halfPrecisionFilesEqualTheirFp32ReferenceRounded() {
        int pairs = 0;
        for (Path f : weightFiles()) {
            DType half = Golden.halfType(f);
            if (half == null) {
                continue;
            }
            Path ref = Golden.fp32Reference(f);
            assertTrue(Files.isRegularFile(ref), f + " is " + half + " but its fp32 reference " + ref + " is missing");
            try (Checkpoint h = Checkpoints.open(f); Checkpoint r = Checkpoints.open(ref)) {
                assertEquals(r.keys(), h.keys(), f + " vs " + ref);
                for (String k : h.keys()) {
                    WeightTensor rounded = WeightTensor.convert(r.tensor(k), half);
                    assertArrayEquals(rounded.halfBits(), h.weight(k).halfBits(), f + " " + k);
                }
            }
            pairs++;
        }
        Assumptions.assumeTrue(pairs > 0, "no bf16/fp16 golden weight files found");
    }

    @Test
    void torchZipCheckpointsEqualTheSafetensorsBesideThem() {
        int pairs = 0;
        for (Path f : weightFiles()) {
            if (!f.getFileName().toString().equals("pytorch_model.bin")) {
                continue;
            }
            try (Checkpoint bin = Checkpoints.open(f); Checkpoint st = Checkpoints.open(f.resolveSibling("model.safetensors"))) {
                assertEquals(st.keys(), bin.keys());
                for (String k : st.keys()) {
                    assertArrayEquals(st.info(k).shape, bin.info(k).shape, k);
                    assertArrayEquals(st.weight(k).f32(), bin.weight(k).f32(), k);
                }
            }
            pairs++;
        }
        Assumptions.assumeTrue(pairs > 0, "no golden pytorch_model.bin found");
    }

    @Test
    void rowsReadOnlyTheRowsAskedForAndMatchTheWholeTensor() {
        int checked = 0;
        for (Path f : weightFiles()) {
            try (Checkpoint c = Checkpoints.open(f)) {
                for (String k : c.keys()) {
                    TensorInfo info = c.info(k);
                    if (info.shape.length != 2 || !info.type().isFloat()) {
                        continue;
                    }
                    // the first, second and last rows, one twice, and two inside: ids as a prompt's tokens give them
                    int n = info.shape[0];
                    int[] ids = {0, 1 % n, n - 1, 5 % n, 5 % n, 1000 % n};
                    WeightTensor all = c.weight(k);
                    WeightTensor rows = c.rows(k, ids);
                    int d = info.shape[1];
                    assertArrayEquals(new int[] {ids.length, d}, rows.shape());
                    for (int i = 0; i < ids.length; i++) {
                        for (int j = 0; j < d; j++) {
                            assertEquals(all.get(ids[i] * d + j), rows.get(i * d + j), f + " " + k);
                        }
                    }
                    checked++;
                }
            }
        }
        Assumptions.assumeTrue(checked > 0, "no golden embedding table found");
    }
}
