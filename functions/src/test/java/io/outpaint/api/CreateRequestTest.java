package io.outpaint.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.request.FieldError;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bodies of {@code POST /uploads} and {@code POST /jobs}: unknown fields refused at every level, every bad field named. */
class CreateRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void stagesAnUploadOfANameAndAType() {
        assertThat(CreateRequest.staged(json("{'fileName':'a.mp4','contentType':'video/mp4'}")))
                .isEqualTo(new CreateRequest.Upload("a.mp4", "video/mp4"));
    }

    @Test
    void refusesAnUnknownFieldOfAnUploadAsAJobsBodyIsRefused() {
        ApiError staged = catchThrowableOfType(() -> CreateRequest.staged(json("{'fileName':'a.mp4','contentType':'video/mp4','x':1}")),
                ApiError.class);
        assertThat(staged).as("POST /uploads with an unknown field").isNotNull();
        assertThat(staged.status()).isEqualTo(400);
        assertThat(staged.code()).isEqualTo("INVALID_REQUEST");
        assertThat(staged.fields()).containsExactly(new FieldError("x", null, "unknown field; the fields of the body are contentType, fileName"));
        assertThat(staged.getMessage()).isEqualTo("invalid request: x: unknown field; the fields of the body are contentType, fileName");

        ApiError job = catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p'},'x':1}"),
                true, url -> Optional.empty()), ApiError.class);
        assertThat(job.status()).isEqualTo(staged.status());
        assertThat(job.code()).isEqualTo(staged.code());
        assertThat(job.getMessage()).isEqualTo("invalid request: x: unknown field; the fields of the body are maxCreativeUnits, notify, request, video");
    }

    @Test
    void takesAWholePositiveMaxCreativeUnitsAndRefusesAnyOther() {
        assertThat(CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p'},'maxCreativeUnits':40}"),
                true, url -> Optional.empty()).maxCreativeUnits()).hasValue(40);
        for (String bad : new String[] {"0", "1.5", "'40'", "-3"}) {
            ApiError refused = catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p'},"
                    + "'maxCreativeUnits':" + bad + "}"), true, url -> Optional.empty()), ApiError.class);
            assertThat(refused.fields()).extracting(FieldError::field).containsExactly("maxCreativeUnits");
        }
    }

    @Test
    void namesAnUnknownFieldBesideABadOne() {
        ApiError staged = catchThrowableOfType(() -> CreateRequest.staged(json("{'fileName':'a.mp4','contentType':'text/plain','x':1}")),
                ApiError.class);
        assertThat(staged.fields()).extracting(FieldError::field).containsExactlyInAnyOrder("x", "contentType");
    }

    @Test
    void namesATargetsBadPartUnderRequest() {
        ApiError error = catchThrowableOfType(() -> CreateRequest.parse(json(
                "{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p','target':{'aspectRatio':'9:17:1','anchor':'up'}}}"),
                false, url -> Optional.empty()), ApiError.class);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("INVALID_REQUEST");
        assertThat(error.fields()).extracting(FieldError::field).containsExactly("request.target.anchor", "request.target.aspectRatio");
        assertThat(error.getMessage()).contains("request.target.aspectRatio: \"9:17:1\" is not allowed; allowed: 9:16, 1:1, 4:5, 16:9, 21:9 or any W:H");
    }

    @Test
    void refusesATargetBesideTheRawExpandFlags() {
        ApiError error = catchThrowableOfType(() -> CreateRequest.parse(json(
                "{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p','target':{'aspectRatio':'9:16'},'expandRatio':0.5}}"),
                true, url -> Optional.empty()), ApiError.class);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.fields()).extracting(FieldError::field).containsExactly("request.expandRatio");
    }
}
