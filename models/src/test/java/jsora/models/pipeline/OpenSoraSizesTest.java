package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Entries checked by hand against opensora/datasets/aspect.py's get_image_size (ratio name, its key, the table). */
class OpenSoraSizesTest {

    @Test
    void entriesAreTheReferencesHeightAndWidth() {
        assertArrayEquals(new int[] {240, 426}, OpenSoraSizes.imageSize("240p", "9:16")); // "0.56"
        assertArrayEquals(new int[] {426, 240}, OpenSoraSizes.imageSize("240p", "16:9")); // "1.78"
        assertArrayEquals(new int[] {360, 640}, OpenSoraSizes.imageSize("360p", "9:16"));
        assertArrayEquals(new int[] {166, 221}, OpenSoraSizes.imageSize("144p", "3:4")); // "0.75"
        assertArrayEquals(new int[] {740, 555}, OpenSoraSizes.imageSize("480p", "4:3")); // "1.33"
        assertArrayEquals(new int[] {2160, 3840}, OpenSoraSizes.imageSize("4k", "9:16"));
        assertArrayEquals(new int[] {2276, 3642}, OpenSoraSizes.imageSize("4k", "5:8")); // listed before 0.56 there
        assertArrayEquals(new int[] {2772, 1330}, OpenSoraSizes.imageSize("2k", "50:27")); // "2.08"
        assertArrayEquals(new int[] {117, 312}, OpenSoraSizes.imageSize("144p", "3:8")); // "0.38"
        assertArrayEquals(new int[] {1408, 2944}, OpenSoraSizes.imageSize("2048", "12:25")); // PixArt's "0.48"
    }

    @Test
    void everyNamedResolutionHasEveryRatioAndThePixArtOnesOnly12To25() {
        assertEquals(8 * 17 + 4, OpenSoraSizes.entries().size());
        for (String r : new String[] {"144p", "240p", "360p", "480p", "720p", "1080p", "2k", "4k"}) {
            for (String a : OpenSoraSizes.RATIOS) {
                int[] hw = OpenSoraSizes.imageSize(r, a);
                assertTrue(hw[0] > 0 && hw[1] > 0, r + " " + a);
            }
        }
        // the reference's lookup of "1:1" in the 256 table asks for key "1.00", which is spelt "1.0" there
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenSoraSizes.imageSize("256", "1:1"));
        assertEquals("--aspect-ratio 1:1 (height:width): Open-Sora 1.2's 256 has 12:25", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpenSoraSizes.imageSize("2880", "1:1"));
        assertTrue(e.getMessage().startsWith("--resolution 2880: Open-Sora 1.2 has 144p, 240p"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpenSoraSizes.imageSize("240p", "16:10"));
        assertTrue(e.getMessage().contains("240p has 3:8, 9:21"), e.getMessage());
    }
}
