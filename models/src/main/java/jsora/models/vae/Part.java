package jsora.models.vae;

import java.util.function.Supplier;

/**
 * A layer built from its parameters either once (resident) or anew each time it is used (streamed: its weights are
 * read just before it runs and can be collected right after, so a decoder needs only one layer's weights in memory).
 */
final class Part<T> {
    private final Supplier<T> build;
    private final T resident;

    private Part(Supplier<T> build, boolean keep) {
        this.build = build;
        this.resident = keep ? build.get() : null;
    }

    static <T> Part<T> of(Supplier<T> build, boolean resident) {
        return new Part<>(build, resident);
    }

    T get() {
        return resident != null ? resident : build.get();
    }
}
