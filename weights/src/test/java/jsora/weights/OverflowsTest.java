package jsora.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jsora.tensor.DType;
import jsora.tensor.Half;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finite values a conversion to fp16 or bf16 turns into ±inf, counted per tensor ({@link FloatEncoder}). */
class OverflowsTest {
    @TempDir
    Path dir;

    @Property
    void theCountIsTheFiniteValuesWhoseConversionIsInfinite(@ForAll("values") List<Float> values,
                                                            @ForAll("halfTypes") StorageType type) {
        boolean bf16 = type == StorageType.BF16;
        // independent of the rounding code: the midpoint above each type's largest value rounds up to inf
        float threshold = bf16 ? 0x1.ffp127f : 65520f;
        long expected = 0;
        long decodedInf = 0;
        float largest = 0;
        for (float v : values) {
            if (Float.isFinite(v) && Math.abs(v) >= threshold) {
                expected++;
                largest = Math.max(largest, Math.abs(v));
            }
            float back = bf16 ? Half.bf16ToFloat(Half.floatToBf16(v)) : Half.f16ToFloat(Half.floatToF16(v));
            if (Float.isFinite(v) && Float.isInfinite(back)) {
                decodedInf++;
            }
        }
        FloatEncoder e = new FloatEncoder(type);
        ByteBuffer b = ByteBuffer.allocate(2 * values.size());
        for (float v : values) {
            e.put(b, v);
        }
        Overflows o = new Overflows();
        o.add("w", e);
        assertEquals(expected, decodedInf);
        assertEquals(expected, o.total());
        assertEquals(expected == 0 ? List.of() : List.of(new Overflows.Entry("w", type, expected, largest)),
                o.entries());
    }

    /** Any float (NaN and ±inf included), and many near fp16's 65520 and near float32's largest values. */
    @Provide
    Arbitrary<List<Float>> values() {
        Arbitrary<Integer> magnitude = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(0, 0x7fffffff)),
                Tuple.of(1, Arbitraries.integers().between(0x477fe000, 0x47800000)),
                Tuple.of(1, Arbitraries.integers().between(0x7f7f0000, 0x7f800001)));
        Arbitrary<Integer> sign = Arbitraries.of(0, 0x80000000);
        return Combinators.combine(magnitude, sign).as((m, s) -> Float.intBitsToFloat(m | s)).list().ofMaxSize(64);
    }

    @Provide
    Arbitrary<StorageType> halfTypes() {
        return Arbitraries.of(StorageType.F16, StorageType.BF16);
    }

    /** Through the writer: only the tensors that overflowed are listed, in written order; f32 output never counts. */
    @Test
    void theWriterListsEachTensorThatOverflowed() {
        Map<String, int[]> shapes = Map.of("a", new int[] {4}, "b", new int[] {2}, "c", new int[] {3});
        Map<String, float[]> values = Map.of("a", new float[] {70000f, 1f, -1e38f, 65504f},
                "b", new float[] {Float.NaN, Float.NEGATIVE_INFINITY}, "c", new float[] {65520f, -65520f, 1e-3f});
        Checkpoint src = new RandomCheckpoint(shapes, values, DType.BF16, 1, Map.of());
        Overflows o = new Overflows();
        SafeTensorsWriter.write(dir.resolve("f16.safetensors"), src, List.of("c", "b", "a"),
                OutputType.floats(StorageType.F16), Map.of(), o);
        // the values are read as bf16 first, where 65504 and 65520 round to 65536
        assertEquals(List.of(new Overflows.Entry("c", StorageType.F16, 2, 65536f),
                new Overflows.Entry("a", StorageType.F16, 3, Half.bf16ToFloat(Half.floatToBf16(1e38f)))), o.entries());
        assertEquals(5, o.total());

        Overflows none = new Overflows();
        SafeTensorsWriter.write(dir.resolve("f32.safetensors"), src, List.of("a", "b", "c"),
                OutputType.floats(StorageType.F32), Map.of(), none);
        assertTrue(none.isEmpty());
    }
}
