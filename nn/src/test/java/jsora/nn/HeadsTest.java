package jsora.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jsora.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class HeadsTest {

    /** Element (b, l, p, h, d) of the packed layout lands at [b, h, l, d] of part p. */
    @Property(tries = 40)
    void partPermutesLikeViewAndPermute(@ForAll @IntRange(min = 1, max = 3) int b,
            @ForAll @IntRange(min = 1, max = 6) int l, @ForAll @IntRange(min = 1, max = 3) int parts,
            @ForAll @IntRange(min = 1, max = 4) int heads, @ForAll @IntRange(min = 1, max = 5) int d,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor packed = Tensor.zeros(b, l, parts * heads * d);
        for (int i = 0; i < packed.size(); i++) {
            packed.data()[i] = (float) r.nextDouble();
        }
        for (int p = 0; p < parts; p++) {
            Tensor part = Heads.part(packed, parts, p, heads);
            for (int bi = 0; bi < b; bi++) {
                for (int li = 0; li < l; li++) {
                    for (int h = 0; h < heads; h++) {
                        for (int di = 0; di < d; di++) {
                            assertEquals(packed.at(bi, li, (p * heads + h) * d + di), part.at(bi, h, li, di));
                        }
                    }
                }
            }
        }
    }
}
