package io.outpaint.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The code a job's record carries when this exception ends it. The state machine reports an
 * exception by its class name; the failure step reads this annotation from that class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FailureCode {
    String value();
}
