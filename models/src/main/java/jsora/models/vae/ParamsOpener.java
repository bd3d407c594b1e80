package jsora.models.vae;

import java.nio.file.Path;
import java.util.function.Function;
import jsora.tensor.DType;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;

/**
 * Gives a model builder its parameters for the time it takes to build: a checkpoint file is opened, read (only the
 * keys the builder asks for) and closed again, so a model part can be loaded when it is needed and dropped after.
 */
public interface ParamsOpener {
    /** Runs {@code build} with the parameters available and returns what it built. */
    <T> T withParams(Function<Params, T> build);

    /** Parameters that are always available (random ones for benchmarks, or an already open file). */
    static ParamsOpener of(Params params) {
        return new ParamsOpener() {
            @Override
            public <T> T withParams(Function<Params, T> build) {
                return build.apply(params);
            }
        };
    }

    /**
     * A checkpoint file or model folder (safetensors, PyTorch zip or sharded, opened by {@link Checkpoints#open}),
     * fp32 matrices and kernels rounded to {@code dtype} as they load.
     */
    static ParamsOpener file(Path checkpoint, DType dtype) {
        return new ParamsOpener() {
            @Override
            public <T> T withParams(Function<Params, T> build) {
                try (Checkpoint file = Checkpoints.open(checkpoint)) {
                    return build.apply(Params.of(file).storedAs(dtype));
                }
            }
        };
    }
}
