package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jsora.tensor.Tensor;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference images decode to the RGB samples Pillow's {@code convert("RGB")} gives (the golden case's in.rgb_u8). */
class ImageFilesTest {
    @Test
    void theGoldenCasesImagesDecodeAsPillowConvertsThem() throws Exception {
        int checked = 0;
        for (Path dir : Golden.cases("image-preprocess")) {
            JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                for (Map.Entry<String, com.google.gson.JsonElement> image : config.getAsJsonObject("images")
                        .entrySet()) {
                    Path file = dir.resolve(image.getValue().getAsJsonObject().get("file").getAsString());
                    ImageFiles.Rgb rgb = ImageFiles.readRgb(file);
                    Tensor ref = io.tensor(image.getKey() + ".in.rgb_u8");
                    assertEquals(ref.dim(0), rgb.height(), file + " height");
                    assertEquals(ref.dim(1), rgb.width(), file + " width");
                    float[] f = ref.toArray();
                    int[] expected = new int[f.length];
                    for (int i = 0; i < f.length; i++) {
                        expected[i] = (int) f[i];
                    }
                    assertArrayEquals(expected, rgb.rgb(), file.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "no image-preprocess case");
    }

    @Test
    void aFileThatIsNoImageIsRefusedByName(@TempDir Path dir) throws IOException {
        Path notImage = Files.writeString(dir.resolve("x.png"), "not a png");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readRgb(notImage));
        assertTrue(e.getMessage().contains(notImage.toString()), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ImageFiles.readRgb(dir.resolve("none.png")));
        assertTrue(missing.getMessage().contains("none.png"), missing.getMessage());
    }
}
