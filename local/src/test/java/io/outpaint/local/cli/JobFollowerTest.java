package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What the progress line says of a job, from the API's view of it. */
class JobFollowerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsThePlaceInTheQueueAndTheTimeLeft() throws Exception {
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"WAITING_FOR_SLOT\",\"queuePosition\":4,\"etaSeconds\":1250}")))
                .isEqualTo("WAITING_FOR_SLOT, place 4 in the queue, about 21 min left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"WAITING_FOR_SLOT\",\"queuePosition\":1,\"etaSeconds\":50}")))
                .isEqualTo("WAITING_FOR_SLOT, next in the queue, about 50 s left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"RUNNING\",\"etaSeconds\":30}"))).isEqualTo("RUNNING, about 30 s left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"SUCCEEDED\"}"))).isEqualTo("SUCCEEDED");
    }
}
