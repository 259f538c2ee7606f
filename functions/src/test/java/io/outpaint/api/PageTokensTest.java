package io.outpaint.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTokensTest {

    private static final PageTokens TOKENS = new PageTokens(() -> "whsec-one".getBytes(StandardCharsets.UTF_8));
    private static final String STORE = "eyJjcmVhdGVkQXQiOiIyMDI2In0";

    private static void assertRefused(Optional<JobStatus> filter, String token, String why) {
        assertThatThrownBy(() -> TOKENS.open(filter, token)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_NEXT_TOKEN");
            assertThat(e.fields()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("nextToken"));
            assertThat(e.getMessage()).contains(why);
        });
    }

    @Test
    void opensWhatItSealedForTheSameFilter() {
        assertThat(TOKENS.open(Optional.empty(), TOKENS.seal(Optional.empty(), STORE))).isEqualTo(STORE);
        assertThat(TOKENS.open(Optional.of(JobStatus.FAILED), TOKENS.seal(Optional.of(JobStatus.FAILED), STORE))).isEqualTo(STORE);
    }

    @Test
    void refusesATokenReusedWithAnotherFilter() {
        assertRefused(Optional.of(JobStatus.SUCCEEDED), TOKENS.seal(Optional.empty(), STORE), "another status filter");
        assertRefused(Optional.empty(), TOKENS.seal(Optional.of(JobStatus.SUCCEEDED), STORE), "another status filter");
    }

    @Test
    void refusesAnAlteredPayloadAndATokenOfAnotherDeployment() {
        String token = TOKENS.seal(Optional.empty(), STORE);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"f\":\"*\",\"k\":\"eyJqb2JJZCI6IngifQ\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(Optional.empty(), forgedPayload + token.substring(token.indexOf('.')), "altered");
        String other = new PageTokens(() -> "whsec-two".getBytes(StandardCharsets.UTF_8)).seal(Optional.empty(), STORE);
        assertRefused(Optional.empty(), other, "altered");
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"forged", "", ".", "e30", "e30.", "e30.!!!", "eyJqb2JJZCI6IngifQ", "a.b.c"})
    void refusesMadeUpTokens(String token) {
        assertRefused(Optional.empty(), token, "not a token this API handed out");
    }

    @Test
    void refusesAnOversizedTokenBeforeAnyWork() {
        assertRefused(Optional.empty(), "x".repeat(6000) + ".y", "not a token this API handed out");
    }
}
