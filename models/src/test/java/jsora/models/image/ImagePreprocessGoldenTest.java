package jsora.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jsora.tensor.Tensor;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code image-preprocess}: Open-Sora v1.2's {@code read_from_path(..., "resize_crop")} on the case's images at every
 * target size its config lists, step by step and bit for bit (the reference is deterministic integer and float32
 * arithmetic): Pillow's bicubic resize, the centre crop (Python's round-half-to-even offsets), ToTensor and Normalize.
 * The decoded RGB input is the case's own {@code in.rgb_u8}.
 */
@Tag("golden")
class ImagePreprocessGoldenTest {
    @Test
    void everyImageAtEveryTargetSize() throws Exception {
        int checked = 0;
        for (Path dir : Golden.cases("image-preprocess")) {
            JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                for (Map.Entry<String, com.google.gson.JsonElement> image : config.getAsJsonObject("images")
                        .entrySet()) {
                    String name = image.getKey();
                    Tensor rgb = io.tensor(name + ".in.rgb_u8");
                    int h = rgb.dim(0);
                    int w = rgb.dim(1);
                    int[] src = samples(rgb);
                    for (Map.Entry<String, com.google.gson.JsonElement> target : image.getValue().getAsJsonObject()
                            .getAsJsonObject("targets").entrySet()) {
                        String at = name + "." + target.getKey();
                        Tensor resizedRef = io.tensor(at + ".mid.resized_u8");
                        int sh = resizedRef.dim(0);
                        int sw = resizedRef.dim(1);
                        assertArrayEquals(samples(resizedRef), PilResize.resize(src, h, w, 3, sh, sw), at + " resize");
                        Tensor croppedRef = io.tensor(at + ".mid.cropped_u8");
                        int th = croppedRef.dim(0);
                        int tw = croppedRef.dim(1);
                        int[] cropped = ReferenceImage.resizeCropToFill(src, h, w, th, tw);
                        assertArrayEquals(samples(croppedRef), cropped, at + " crop");
                        Tensor out = ReferenceImage.of(src, h, w, th, tw);
                        Tensor ref = io.tensor(at + ".out");
                        assertArrayEquals(ref.shape(), out.shape(), at + " shape");
                        assertArrayEquals(ref.toArray(), out.toArray(), at + " normalized");
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "no image-preprocess case with targets");
    }

    /** An integer-valued float tensor as ints. */
    private static int[] samples(Tensor t) {
        float[] f = t.toArray();
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = (int) f[i];
        }
        return v;
    }
}
