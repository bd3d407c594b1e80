package jsora.models.stdit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.weights.CheckpointException;

/** The fields of Open-Sora's {@code STDiT3Config} (config.json) that the forward pass uses. */
public final class STDiT3Config {
    public final int hiddenSize;
    public final int depth;
    public final int numHeads;
    public final double mlpRatio;
    public final int inChannels;
    /** (t, h, w). */
    public final int[] patchSize;
    public final int captionChannels;
    public final int modelMaxLength;
    public final int inputSqSize;
    public final boolean predSigma;
    public final boolean qkNorm;
    /** On-device Sora's TDTM: denoising steps (from 0) that run with merged frames; 0 when the config has none. */
    public final int mergeSteps;

    public STDiT3Config(int hiddenSize, int depth, int numHeads, double mlpRatio, int inChannels, int[] patchSize,
            int captionChannels, int modelMaxLength, int inputSqSize, boolean predSigma, boolean qkNorm, int mergeSteps) {
        if (numHeads <= 0 || hiddenSize % numHeads != 0 || hiddenSize % 4 != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " must be divisible by 4 and by num_heads "
                    + numHeads);
        }
        if (patchSize.length != 3) {
            throw new IllegalArgumentException("patch_size must have 3 entries");
        }
        this.hiddenSize = hiddenSize;
        this.depth = depth;
        this.numHeads = numHeads;
        this.mlpRatio = mlpRatio;
        this.inChannels = inChannels;
        this.patchSize = patchSize.clone();
        this.captionChannels = captionChannels;
        this.modelMaxLength = modelMaxLength;
        this.inputSqSize = inputSqSize;
        this.predSigma = predSigma;
        this.qkNorm = qkNorm;
        this.mergeSteps = mergeSteps;
    }

    /** STDiT3-XL/2 as published (hpcaitech/OpenSora-STDiT-v3). */
    public static STDiT3Config xl2() {
        return new STDiT3Config(1152, 28, 16, 4.0, 4, new int[] {1, 2, 2}, 4096, 300, 512, true, true, 0);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int mlpHidden() {
        return (int) (hiddenSize * mlpRatio);
    }

    public int outChannels() {
        return predSigma ? 2 * inChannels : inChannels;
    }

    public int patchVolume() {
        return patchSize[0] * patchSize[1] * patchSize[2];
    }

    public static STDiT3Config read(Path file) {
        try {
            return parse(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject(),
                    file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof CheckpointException) {
                throw e;
            }
            throw new CheckpointException(file + ": not a valid STDiT3 config (" + e.getMessage() + ")", e);
        }
    }

    static STDiT3Config parse(JsonObject o, String where) {
        STDiT3Config d = xl2();
        int[] patch = d.patchSize;
        if (o.has("patch_size")) {
            JsonArray a = o.getAsJsonArray("patch_size");
            patch = new int[a.size()];
            for (int i = 0; i < patch.length; i++) {
                patch[i] = a.get(i).getAsInt();
            }
        }
        try {
            return new STDiT3Config(integer(o, "hidden_size", d.hiddenSize), integer(o, "depth", d.depth),
                    integer(o, "num_heads", d.numHeads), o.has("mlp_ratio") ? o.get("mlp_ratio").getAsDouble() : d.mlpRatio,
                    integer(o, "in_channels", d.inChannels), patch, integer(o, "caption_channels", d.captionChannels),
                    integer(o, "model_max_length", d.modelMaxLength), integer(o, "input_sq_size", d.inputSqSize),
                    bool(o, "pred_sigma", d.predSigma), bool(o, "qk_norm", d.qkNorm), integer(o, "merge_steps", 0));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject o, String k, int dflt) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? dflt : e.getAsInt();
    }

    private static boolean bool(JsonObject o, String k, boolean dflt) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? dflt : e.getAsBoolean();
    }
}
