package io.outpaint.notify;

/** A webhook address the deployment will not post to; not retried, since asking again changes nothing. */
public final class WebhookRefusedException extends RuntimeException {
    public WebhookRefusedException(String message) {
        super(message);
    }
}
