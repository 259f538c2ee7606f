package io.outpaint.pipeline;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * An SDK client built on its first call. The S3 clients cost a cold start about half a second
 * more than DynamoDB's alone, and most functions never call S3; those that do build it then (or
 * in their SnapStart priming).
 */
final class LazyClient {

    private LazyClient() {}

    @SuppressWarnings("unchecked")
    static <T> T of(Class<T> type, Supplier<T> build) {
        Object[] built = new Object[1];
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class && method.getName().equals("toString")) {
                return "lazy " + type.getSimpleName();
            }
            Object client;
            synchronized (built) {
                if (built[0] == null) {
                    built[0] = build.get();
                }
                client = built[0];
            }
            try {
                return method.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
