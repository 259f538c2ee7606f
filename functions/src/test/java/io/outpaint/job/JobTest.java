package io.outpaint.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static Job queued() {
        return Job.queued("job-1", new ObjectMapper().createObjectNode().put("prompt", "p"), null, null, null, T0, 30);
    }

    @Test
    void movesForwardAndRecordsEachChange() {
        Job job = queued().moveTo(JobStatus.UPLOADING, T0.plusSeconds(1), "42 bytes")
                .moveTo(JobStatus.SUBMITTING, T0.plusSeconds(2), null)
                .moveTo(JobStatus.SUCCEEDED, T0.plusSeconds(3), null);
        assertThat(job.history()).extracting(Job.StatusChange::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.UPLOADING, JobStatus.SUBMITTING, JobStatus.SUCCEEDED);
        assertThat(job.history().get(1).note()).isEqualTo("42 bytes");
        assertThat(job.progress()).isEqualTo(1.0);
        assertThat(job.updatedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void neverMovesBackwards() {
        Job running = queued().moveTo(JobStatus.RUNNING, T0, null);
        assertThatThrownBy(() -> running.moveTo(JobStatus.SUBMITTED, T0, null))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("RUNNING and cannot move to SUBMITTED");
    }

    @Test
    void onlyAParentThatEndedSucceededOrFailedGoesBackToRenderingSegments() {
        com.fasterxml.jackson.databind.node.ObjectNode section = new ObjectMapper().createObjectNode();
        section.putObject("plan");
        Job parent = queued().withSegments(section, T0).moveTo(JobStatus.RENDERING_SEGMENTS, T0, null)
                .withOutputs(java.util.List.of(new Job.Output(null, "b", "outputs/job-1/outpaint.mp4", 1L, "ab", "video/mp4", 1, 1, 1.0)), T0);
        Job succeeded = parent.moveTo(JobStatus.SUCCEEDED, T0, null);
        Job reopened = succeeded.reopenForSegmentRetry(T0.plusSeconds(5), "segment 2 generated again", 0.6);
        assertThat(reopened.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        assertThat(reopened.outputs()).isEqualTo(succeeded.outputs());
        assertThat(reopened.progress()).isEqualTo(0.6);
        assertThat(reopened.history()).extracting(Job.StatusChange::status).endsWith(JobStatus.SUCCEEDED, JobStatus.RENDERING_SEGMENTS);
        Job failed = parent.withError(new Job.JobError("SEGMENT_FAILED", "segment 1", null), T0).moveTo(JobStatus.FAILED, T0, null);
        assertThat(failed.reopenForSegmentRetry(T0, null, 0).error()).isNull();
        // moveTo never goes back, for a parent either; nor does a canceled parent, a running one, or a job of one generation
        assertThatThrownBy(() -> succeeded.moveTo(JobStatus.RENDERING_SEGMENTS, T0, null)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> parent.moveTo(JobStatus.CANCELED, T0, null).reopenForSegmentRetry(T0, null, 0))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("CANCELED and cannot move to RENDERING_SEGMENTS");
        assertThatThrownBy(() -> parent.reopenForSegmentRetry(T0, null, 0)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> queued().moveTo(JobStatus.SUCCEEDED, T0, null).reopenForSegmentRetry(T0, null, 0))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void finishingComesBetweenTheCopyAndTheEndAndHoldsNoSlot() {
        Job finishing = queued().moveTo(JobStatus.COPYING, T0, null).moveTo(JobStatus.FINISHING, T0.plusSeconds(1), "finishing");
        assertThatThrownBy(() -> finishing.moveTo(JobStatus.COPYING, T0, null)).isInstanceOf(IllegalTransitionException.class);
        assertThat(finishing.moveTo(JobStatus.SUCCEEDED, T0.plusSeconds(2), null).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(finishing.moveTo(JobStatus.CANCELED, T0.plusSeconds(2), null).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(JobStatus.FINISHING.isInFlight()).as("its execution should be running: the sweep resumes it").isTrue();
        assertThat(JobStatus.FINISHING.isPastScenario()).isTrue();
        assertThat(JobStatus.RUNNING.isPastScenario()).isFalse();
    }

    @Test
    void neverLeavesATerminalStatus() {
        Job canceled = queued().moveTo(JobStatus.CANCELED, T0, null);
        for (JobStatus next : JobStatus.values()) {
            if (next != JobStatus.CANCELED) {
                assertThatThrownBy(() -> canceled.moveTo(next, T0, null)).isInstanceOf(IllegalTransitionException.class);
            }
        }
    }

    @Test
    void stayingPutIsANoOpSoARetriedStepWritesNothing() {
        Job running = queued().moveTo(JobStatus.RUNNING, T0, null);
        assertThat(running.moveTo(JobStatus.RUNNING, T0.plusSeconds(9), null)).isSameAs(running);
    }

    @Test
    void progressOnlyGrows() {
        Job job = queued().withProgress(0.6, T0).withProgress(0.4, T0);
        assertThat(job.progress()).isEqualTo(0.6);
    }

    @Test
    void expiresAfterItsRetention() {
        assertThat(queued().expiresAt()).isEqualTo(T0.plusSeconds(30 * 86_400L).getEpochSecond());
    }
}
