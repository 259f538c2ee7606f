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
    void takesTheFilesOwnNameAsTextOnOneLineAndRefusesAnyOther() {
        CreateRequest named = CreateRequest.parse(json("{'video':{'upload':{'fileName':'Street_final_.mp4','contentType':'video/mp4'},"
                + "'name':'Street (final) \u00e9t\u00e9.mp4'},'request':{'prompt':'p'}}"), true, url -> Optional.empty());
        assertThat(named.videoName()).hasValue("Street (final) \u00e9t\u00e9.mp4");
        assertThat(CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4'},'request':{'prompt':'p'}}"), true, url -> Optional.empty())
                .videoName()).isEmpty();
        for (String bad : new String[] {"''", "'  '", "'a\\nb.mp4'", "'a\\tb.mp4'", "'a\\u0007.mp4'", "3", "'" + "x".repeat(201) + "'"}) {
            ApiError refused = catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4','name':" + bad + "},"
                    + "'request':{'prompt':'p'}}"), true, url -> Optional.empty()), ApiError.class);
            assertThat(refused).as(bad).isNotNull();
            assertThat(refused.fields()).as(bad).extracting(FieldError::field).containsExactly("video.name");
            assertThat(refused.fields().get(0).allowed()).isEqualTo(CreateRequest.NAME_RULE);
        }
    }

    @Test
    void anEstimateTakesAVideosShapeInsteadOfItsKeyAndRefusesAShapeOutOfRange() {
        CreateRequest shaped = CreateRequest.parse(json("{'video':{'shape':{'width':640,'height':360,'durationSeconds':3.0,"
                + "'framesPerSecond':16,'frames':48}},'request':{'prompt':'p'}}"), false, url -> Optional.empty());
        assertThat(shaped.videoShape()).hasValue(new CreateRequest.VideoShape(640, 360, 3.0, 16, 48));
        assertThat(shaped.videoKey()).isEmpty();
        for (String bad : new String[] {"{'width':0,'height':360,'durationSeconds':3,'framesPerSecond':16,'frames':48}",
                "{'width':640,'height':360,'durationSeconds':0,'framesPerSecond':16,'frames':48}",
                "{'width':640,'height':360,'durationSeconds':3,'framesPerSecond':16}",
                "{'width':640.5,'height':360,'durationSeconds':3,'framesPerSecond':16,'frames':48}",
                "{'width':640,'height':360,'durationSeconds':3,'framesPerSecond':16,'frames':-1}"}) {
            ApiError refused = catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'shape':" + bad + "},'request':{'prompt':'p'}}"),
                    false, url -> Optional.empty()), ApiError.class);
            assertThat(refused).as(bad).isNotNull();
            assertThat(refused.fields()).as(bad).extracting(FieldError::field).containsExactly("video.shape");
        }
        // a job needs the video itself: no shape there, and an estimate takes one source only
        assertThat(catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'shape':{'width':640,'height':360,'durationSeconds':3,"
                + "'framesPerSecond':16,'frames':48}},'request':{'prompt':'p'}}"), true, url -> Optional.empty()), ApiError.class)
                .fields()).extracting(FieldError::field).contains("video");
        assertThat(catchThrowableOfType(() -> CreateRequest.parse(json("{'video':{'key':'inputs/a.mp4','shape':{}},'request':{'prompt':'p'}}"),
                false, url -> Optional.empty()), ApiError.class).fields()).extracting(FieldError::field).containsExactly("video");
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
