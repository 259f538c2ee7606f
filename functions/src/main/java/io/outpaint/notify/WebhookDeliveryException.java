package io.outpaint.notify;

/** A webhook receiver did not take the notice (no answer, or not 2xx): retried by the state machine. */
@io.outpaint.job.FailureCode("WEBHOOK_NOT_DELIVERED")
public final class WebhookDeliveryException extends RuntimeException {
    public WebhookDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
