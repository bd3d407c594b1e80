package jsora.cli;

import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import jsora.tensor.kernels.KernelClock;

/** The rates the compute kernels achieved per stage, for {@code generate}'s report (a line, or JSON). */
final class KernelRates {
    private KernelRates() {
    }

    /** "text gemm 95.2 GFLOP/s over 12.1 s; denoise gemm 197 GFLOP/s over 500.2 s, attention ..." (3 digits). */
    static String line(Map<String, KernelClock.Totals> stages) {
        StringBuilder b = new StringBuilder();
        stages.forEach((stage, t) -> {
            StringBuilder kernels = new StringBuilder();
            for (KernelClock.Kernel k : KernelClock.Kernel.values()) {
                if (t.flops(k) > 0) {
                    kernels.append(kernels.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                            "%s %s GFLOP/s over %.1f s", k.name().toLowerCase(Locale.ROOT), threeDigits(t.gflops(k)),
                            t.seconds(k)));
                }
            }
            if (kernels.length() > 0) {
                b.append(b.length() == 0 ? "" : "; ").append(stage).append(' ').append(kernels);
            }
        });
        return b.toString();
    }

    /** x to three significant digits, without an exponent: 95.2, 1230, 0.0312. */
    static String threeDigits(double x) {
        if (!Double.isFinite(x)) {
            return String.valueOf(x);
        }
        return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** {stage: {kernel: {gflop, seconds, gflops_per_second}}}. */
    static JsonObject json(Map<String, KernelClock.Totals> stages) {
        JsonObject o = new JsonObject();
        stages.forEach((stage, t) -> {
            JsonObject s = new JsonObject();
            for (KernelClock.Kernel k : KernelClock.Kernel.values()) {
                if (t.flops(k) > 0) {
                    JsonObject j = new JsonObject();
                    j.addProperty("gflop", t.flops(k) / 1e9);
                    j.addProperty("seconds", t.seconds(k));
                    j.addProperty("gflops_per_second", t.gflops(k));
                    s.add(k.name().toLowerCase(Locale.ROOT), j);
                }
            }
            o.add(stage, s);
        });
        return o;
    }
}
