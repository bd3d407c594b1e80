package jsora.models.stdit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import jsora.tensor.Int8;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports the error of STDiT3 with int8 Linear weights (the case's model converted as {@code jsora convert --dtype
 * int8} writes it, loaded by {@link STDiT3#load}) against each {@code stdit3-*} case's fp32 reference output (the
 * un-merged pass of TDTM cases). Observed on the tiny cases: 1.4e-2 to 1.9e-2 of max(1, max|ref|). Asserted only loosely
 * (≤ {@value #SANITY}): that the int8 model runs through the real loader and stays near the reference.
 */
@Tag("golden")
class STDiT3Int8GoldenTest {
    private static final double SANITY = 0.2;

    @TestFactory
    Stream<DynamicTest> int8Error(@TempDir Path tmp) {
        return Golden.cases("stdit3-").stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            STDiT3 model = STDiT3.load(Golden.int8Copy(dir, tmp.resolve(dir.getFileName()), Int8.BLOCK));
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                String prefix = io.contains("out") ? "" : "merge_off.";
                Tensor expected = io.tensor(prefix + "out");
                Tensor out = model.forward(STDiT3GoldenTest.input(io, false));
                double err = Approx.maxAbsDiff(expected, out) / Math.max(1, Approx.maxAbs(expected));
                System.out.printf("%s int8 (blocks of %d): %sout max|diff| / max(1, max|ref|) = %.2e%n",
                        dir.getFileName(), Int8.BLOCK, prefix, err);
                assertTrue(err <= SANITY, dir.getFileName() + ": int8 error " + err);
            }
        }));
    }
}
