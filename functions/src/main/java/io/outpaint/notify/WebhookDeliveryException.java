package io.outpaint.notify;

/** A webhook receiver did not take the notice (no answer, or not 2xx): retried by the state machine. */
public final class WebhookDeliveryException extends RuntimeException {
    public WebhookDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
