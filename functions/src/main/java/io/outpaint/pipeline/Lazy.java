package io.outpaint.pipeline;

import java.util.function.Supplier;

/**
 * A value built on its first {@link #get()}, once, however many threads ask. The functions hold
 * their S3, transfer and Step Functions clients this way: most never call S3, several never
 * start an execution, and a client costs a cold start 100 to 500 ms to build. Those that do
 * call build it then, or in their SnapStart priming.
 *
 * <p>A plain holder rather than a {@code java.lang.reflect.Proxy} of the client's interface:
 * making a proxy of {@code S3Client} resolves every type in its signatures and initializes them,
 * about 1,800 model classes, which cost more than the client itself.
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<? extends T> build;
    private volatile T value;

    private Lazy(Supplier<? extends T> build) {
        this.build = build;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> build) {
        return new Lazy<>(build);
    }

    /** A value there from the start (tests, and callers that already hold a client). */
    public static <T> Lazy<T> ofValue(T value) {
        Lazy<T> lazy = new Lazy<>(() -> value);
        lazy.value = value;
        return lazy;
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = build.get();
                    if (current == null) {
                        throw new IllegalStateException("the lazy value was built as null");
                    }
                    value = current;
                }
            }
        }
        return current;
    }

    /** Whether {@link #get()} has built the value yet. */
    public boolean isBuilt() {
        return value != null;
    }

    @Override
    public String toString() {
        return value == null ? "lazy, not built yet" : "lazy " + value;
    }
}
