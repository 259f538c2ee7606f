package io.outpaint.queue;

import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** {@link Executions} on Step Functions. */
public final class SfnExecutions implements Executions {

    private final Supplier<SfnClient> sfn;
    private final String stateMachineArn;

    /** Over a client built when first needed: a function that never starts or looks at an execution never builds one. */
    public SfnExecutions(Supplier<SfnClient> sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    public SfnExecutions(SfnClient sfn, String stateMachineArn) {
        this(() -> sfn, stateMachineArn);
    }

    @Override
    public String start(String name, String jobId) {
        String input = "{\"jobId\":\"" + jobId + "\"}"; // job ids are [A-Za-z0-9_-]: nothing to escape
        try {
            return sfn.get().startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input)).executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            // an execution of this name ran before: the sweep looks at it and resumes the job if it ended
            return arnOf(name);
        } catch (SfnException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw e;
            }
            throw new StartRefusedException("Step Functions refused to start " + name + ": "
                    + e.awsErrorDetails().errorCode(), e);
        }
    }

    @Override
    public String arnOf(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    @Override
    public State describe(String executionArn) {
        try {
            return State.valueOf(sfn.get().describeExecution(b -> b.executionArn(executionArn)).statusAsString());
        } catch (ExecutionDoesNotExistException e) {
            return State.MISSING;
        } catch (IllegalArgumentException e) {
            return State.RUNNING; // a status this code does not know (PENDING_REDRIVE): leave it alone
        }
    }
}
