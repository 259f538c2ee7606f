package io.outpaint.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Calls one function's handler as the Java Lambda runtime does: events deserialized with the
 * runtime's own serializers (aws-lambda-java-serialization), a {@link Context}, and one handler
 * instance per concurrent invocation.
 */
public final class HandlerInvoker {

    /** A handler threw: the runtime's error shape, with the exception's class name as {@code errorType}. */
    public static final class FunctionError extends Exception {
        final String errorType;
        final String errorMessage;
        final List<String> stackTrace;

        /** What the Lambda runtime reports for a function that ran past its timeout. */
        static FunctionError timedOut(java.time.Duration timeout) {
            return new FunctionError("Sandbox.Timedout", String.format(java.util.Locale.ROOT, "Task timed out after %.2f seconds",
                    timeout.toMillis() / 1000.0));
        }

        private FunctionError(String type, String message) {
            super(message);
            this.errorType = type;
            this.errorMessage = message;
            this.stackTrace = List.of();
        }

        FunctionError(Throwable t) {
            super(t.getMessage(), t);
            this.errorType = t.getClass().getName();
            this.errorMessage = t.getMessage() == null ? "" : t.getMessage();
            List<String> frames = new ArrayList<>();
            for (StackTraceElement e : t.getStackTrace()) {
                frames.add(e.toString());
            }
            this.stackTrace = frames;
        }

        /** The exception's class name, as the Java runtime reports it. */
        public String errorType() {
            return errorType;
        }
    }

    private final FunctionRegistry.Function function;
    private final Queue<Object> idle = new ConcurrentLinkedQueue<>();

    HandlerInvoker(FunctionRegistry.Function function) {
        this.function = function;
    }

    /** Runs the handler within the function's timeout; past it the invocation fails as Lambda's does, and the instance is dropped. */
    byte[] invoke(byte[] event) throws FunctionError {
        Object polled = idle.poll();
        Object handler = polled != null ? polled : function.handlers().get();
        Context context = new LocalContext(function.name(), UUID.randomUUID().toString(), function.timeout(), function.memoryMb());
        java.util.concurrent.Future<byte[]> running = RUNNERS.submit(() -> {
            // the thread is named for the function while it runs it: its log lines and the SDK calls it makes say whose they are
            Thread thread = Thread.currentThread();
            thread.setName("lambda:" + function.name());
            try {
                return call(handler, event, context);
            } finally {
                thread.setName("lambda-invocation");
            }
        });
        try {
            byte[] answer = running.get(function.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            idle.add(handler);
            return answer;
        } catch (java.util.concurrent.TimeoutException e) {
            running.cancel(true);
            throw FunctionError.timedOut(function.timeout());
        } catch (java.util.concurrent.ExecutionException e) {
            idle.add(handler);
            throw e.getCause() instanceof FunctionError f ? f : new FunctionError(e.getCause());
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new FunctionError(e);
        }
    }

    private static final java.util.concurrent.ExecutorService RUNNERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-invocation");
        t.setDaemon(true);
        return t;
    });

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] call(Object handler, byte[] event, Context context) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }
        if (!(handler instanceof RequestHandler requestHandler)) {
            throw new IllegalStateException(handler.getClass().getName() + " is neither a RequestHandler nor a RequestStreamHandler");
        }
        Type input = typeArgument(handler.getClass(), 0);
        PojoSerializer<Object> in = serializerFor(input);
        Object result;
        try {
            result = requestHandler.handleRequest(in.fromJson(new ByteArrayInputStream(event)), context);
        } catch (Exception e) {
            throw new FunctionError(e);
        }
        if (result == null) {
            return "null".getBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializerFor(result.getClass()).toJson(result, out);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializerFor(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw, HandlerInvoker.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The {@code I} of {@code RequestHandler<I, O>}, found as the runtime finds it. */
    private static Type typeArgument(Class<?> type, int index) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[index];
                }
            }
        }
        return Object.class;
    }
}
