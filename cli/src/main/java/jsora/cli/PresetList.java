package jsora.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import jsora.models.pipeline.LatentSize;
import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.Presets;
import jsora.models.sampler.PixelSize;
import jsora.models.stdit.STDiT3Config;
import jsora.weights.MemoryBudget;

/**
 * {@code generate --list-presets}: every preset with its image size (height and width as Open-Sora 1.2 gives them),
 * frames, the decoded video's size, the latent, and the activations the denoise and decode stages need besides their
 * weights (MemoryPlan's estimates for STDiT3-XL/2 and the VAE; CI-DL streams the weights within what is left).
 */
final class PresetList {
    private static final String ROW = "%-14s %6s %6s %6s %11s %14s %10s %10s%n";

    private PresetList() {
    }

    static void print(PrintStream out) {
        out.printf(Locale.ROOT, ROW, "preset", "height", "width", "frames", "video WxH", "latent TxHxW",
                "denoise", "decode");
        int hidden = STDiT3Config.xl2().hiddenSize;
        for (Map.Entry<String, PixelSize> e : Presets.all().entrySet()) {
            PixelSize s = e.getValue();
            PixelSize video = LatentSize.decoded(s);
            int[] z = LatentSize.of(s);
            out.printf(Locale.ROOT, ROW, e.getKey(), s.height(), s.width(), s.frames(),
                    video.width() + "x" + video.height(), z[0] + "x" + z[1] + "x" + z[2],
                    MemoryBudget.format(MemoryPlan.denoiserActivations(s, hidden)),
                    MemoryBudget.format(MemoryPlan.vaeActivations(s)));
        }
    }
}
