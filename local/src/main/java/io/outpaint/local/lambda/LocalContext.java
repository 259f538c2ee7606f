package io.outpaint.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The {@link Context} a handler gets locally: name, request id, and a real deadline. */
final class LocalContext implements Context {

    private final String functionName;
    private final String requestId;
    private final long deadlineMillis;
    private final int memoryMb;

    LocalContext(String functionName, String requestId, Duration timeout, int memoryMb) {
        this.functionName = functionName;
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeout.toMillis();
        this.memoryMb = memoryMb;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "local/" + requestId; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return FunctionRegistry.arnOf(functionName); }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return memoryMb; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.print(message); }
            @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
