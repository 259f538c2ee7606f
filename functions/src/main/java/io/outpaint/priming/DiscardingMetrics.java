package io.outpaint.priming;

import java.util.concurrent.CompletableFuture;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;

/**
 * Metrics for a priming invocation: the same Powertools logger as the handler's, whose flush
 * serializes the EMF document as Lambda's would and writes it nowhere, so no metric counts the
 * priming. Built directly, not through {@code MetricsBuilder}, which would replace the process's
 * one shared instance (the handler's).
 */
public final class DiscardingMetrics {

    private DiscardingMetrics() {}

    /** Metrics in {@code namespace} with the dimension {@code Service}, as the handlers build theirs. */
    public static Metrics create(String namespace, String service) {
        Environment nowhere = new LambdaEnvironment() {
            private final ISink sink = new ISink() {
                @Override
                public void accept(MetricsContext context) {
                    try {
                        context.serialize();
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("the priming's metrics did not serialize", e);
                    }
                }

                @Override
                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };

            @Override
            public ISink getSink() {
                return sink;
            }
        };
        EnvironmentProvider provider = new EnvironmentProvider() {
            @Override
            public CompletableFuture<Environment> resolveEnvironment() {
                return CompletableFuture.completedFuture(nowhere);
            }

            @Override
            public Environment getDefaultEnvironment() {
                return nowhere;
            }
        };
        Metrics metrics = new EmfMetricsLogger(provider, new MetricsContext());
        metrics.setNamespace(namespace);
        metrics.setDefaultDimensions(DimensionSet.of("Service", service));
        metrics.setRaiseOnEmptyMetrics(false);
        return metrics;
    }
}
