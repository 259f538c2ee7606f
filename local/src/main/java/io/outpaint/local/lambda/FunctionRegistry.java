package io.outpaint.local.lambda;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The functions the local Lambda endpoint serves, by name. */
public final class FunctionRegistry {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    /** How one function runs: a new handler instance per concurrent invocation, as Lambda does. */
    public record Function(String name, Supplier<Object> handlers, Duration timeout, int memoryMb) {}

    private final Map<String, HandlerInvoker> functions = new ConcurrentHashMap<>();

    /** Registers a handler class the way Lambda loads it: through its no-argument constructor. */
    public FunctionRegistry register(String name, Class<?> handlerClass) {
        return register(name, () -> {
            try {
                return handlerClass.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + handlerClass.getName(), e);
            }
        });
    }

    /** Registers a handler made by {@code factory}, for handlers that take their collaborators in a constructor. */
    public FunctionRegistry register(String name, Supplier<Object> factory) {
        return register(name, factory, Duration.ofMinutes(15), 1024);
    }

    /** Registers a handler with the timeout and memory its deployment gives it; a later registration replaces it. */
    public FunctionRegistry register(String name, Supplier<Object> factory, Duration timeout, int memoryMb) {
        functions.put(name, new HandlerInvoker(new Function(name, factory, timeout, memoryMb)));
        return this;
    }

    Optional<HandlerInvoker> find(String nameOrArn) {
        return Optional.ofNullable(functions.get(nameOf(nameOrArn)));
    }

    /** Invokes a function directly, as an asynchronous event source would. */
    public byte[] invoke(String name, byte[] event) throws HandlerInvoker.FunctionError {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no function " + name)).invoke(event);
    }

    public static String arnOf(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
    }

    /** The function name in a name, a partial ARN or a full ARN, without a version or alias. */
    static String nameOf(String nameOrArn) {
        String name = nameOrArn;
        int at = name.indexOf(":function:");
        if (at >= 0) {
            name = name.substring(at + ":function:".length());
        }
        int qualifier = name.indexOf(':');
        return qualifier >= 0 ? name.substring(0, qualifier) : name;
    }
}
