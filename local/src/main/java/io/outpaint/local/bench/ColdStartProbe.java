package io.outpaint.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What {@code bench coldstart} runs in each fresh JVM, on the Lambda asset's classpath: builds
 * the handler as Lambda does (its no-argument constructor), optionally runs the priming that
 * SnapStart runs before its snapshot, invokes it once (the first invocation) and then a few more
 * times (warm), and prints one line: {@code COLDSTART init=<ns> priming=<ns> first=<ns> warm=<ns> outcome=<ok|error type>}.
 * It uses only what the asset and the Lambda runtime's serialization library hold.
 */
public final class ColdStartProbe {

    public static final String MARK = "COLDSTART ";

    private ColdStartProbe() {}

    /** Arguments: {@code cold|primed}, the handler's class, the event's file, the number of warm invocations. */
    public static void main(String[] args) throws Exception {
        boolean primed = args[0].equals("primed");
        byte[] event = Files.readAllBytes(Path.of(args[2]));
        int warmRuns = Integer.parseInt(args[3]);

        long start = System.nanoTime();
        Object handler = Class.forName(args[1]).getDeclaredConstructor().newInstance();
        if (handler instanceof RequestHandler) {
            // Lambda's runtime makes a handler's event serializer as it loads the handler: part of init
            serializer(inputType(handler.getClass()), handler);
        }
        long init = System.nanoTime() - start;

        long priming = 0;
        int primingFailed = 0;
        if (primed) {
            long before = System.nanoTime();
            for (PrimingHook.Report report : Priming.global().primeAll()) {
                primingFailed += report.failed().size();
            }
            priming = System.nanoTime() - before;
        }

        String outcome = "ok";
        // every invocation's context made before any is timed: Lambda's runtime hands the request id over, while this
        // probe makes one from a random UUID, whose first use sets up the JVM's SecureRandom (not the function's cost)
        Context[] contexts = new Context[1 + Math.max(1, warmRuns)];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = new ProbeContext();
        }
        // markers for reading a child's -verbose:class output: what the first invocation still loads
        System.out.println("COLDSTART-FIRST");
        long before = System.nanoTime();
        try {
            invoke(handler, event, contexts[0]);
        } catch (Exception e) {
            outcome = e.getClass().getSimpleName();
        }
        long first = System.nanoTime() - before;

        System.out.println("COLDSTART-WARM");
        long[] warm = new long[Math.max(1, warmRuns)];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            try {
                invoke(handler, event, contexts[1 + i]);
            } catch (Exception e) {
                // the same outcome as the first; its time still counts
            }
            warm[i] = System.nanoTime() - t;
        }
        Arrays.sort(warm);
        System.out.println(MARK + "init=" + init + " priming=" + priming + " first=" + first + " warm=" + warm[warm.length / 2]
                + " outcome=" + outcome + " primingFailed=" + primingFailed);
        System.out.flush();
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void invoke(Object handler, byte[] event, Context context) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), context);
            return;
        }
        RequestHandler requestHandler = (RequestHandler) handler;
        Class<?> input = inputType(handler.getClass());
        // the Lambda runtime's own event serializers, as the runtime deserializes the event and serializes the answer
        Object result = requestHandler.handleRequest(serializer(input, handler).fromJson(new ByteArrayInputStream(event)), context);
        if (result != null && LambdaEventSerializers.isLambdaSupportedEvent(result.getClass().getName())) {
            serializer(result.getClass(), handler).toJson(result, new ByteArrayOutputStream());
        }
    }

    private static final java.util.Map<Class<?>, PojoSerializer<Object>> SERIALIZERS = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, Object handler) {
        return SERIALIZERS.computeIfAbsent(type, t ->
                (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(t, handler.getClass().getClassLoader()));
    }

    private static Class<?> inputType(Class<?> type) {
        for (Type t : type.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type arg = p.getActualTypeArguments()[0];
                return arg instanceof ParameterizedType q ? (Class<?>) q.getRawType() : (Class<?>) arg;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a RequestHandler");
    }

    /** The context each invocation gets. */
    static final class ProbeContext implements Context {
        private final String id = java.util.UUID.randomUUID().toString();
        @Override public String getAwsRequestId() { return id; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + getFunctionName(); }
        @Override public String getLogStreamName() { return "coldstart"; }
        @Override public String getFunctionName() { return String.valueOf(System.getenv("AWS_LAMBDA_FUNCTION_NAME")); }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return getFunctionName(); }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 60_000; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return new ProbeLogger(); }
    }

    static final class ProbeLogger implements LambdaLogger {
        @Override public void log(String message) { System.err.print(message); }
        @Override public void log(byte[] message) { System.err.write(message, 0, message.length); }
    }
}
