package io.outpaint.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The upload trigger reads S3's event itself: what it takes from a record, and what it refuses. */
class UploadTriggerEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheSampleEventWithItsKeyUrlDecoded() throws Exception {
        var records = UploadTriggerHandler.records(JSON.readTree(Files.readAllBytes(Path.of("..", "events", "s3-object-created.json"))));
        assertThat(records).containsExactly(new UploadTriggerHandler.Created("outpaint-local", "inputs/dropped/street scene.mp4",
                null, "d41d8cd98f00b204e9800998ecf8427e"));
    }

    @Test
    void decodesEveryEscapeS3UsesAndKeepsTheVersion() throws Exception {
        var records = UploadTriggerHandler.records(JSON.readTree("{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},"
                + "\"object\":{\"key\":\"inputs/caf%C3%A9+%2B+more%25.mp4\",\"versionId\":\"v1\",\"eTag\":\"e\"}}}]}"));
        assertThat(records).containsExactly(new UploadTriggerHandler.Created("b", "inputs/café + more%.mp4", "v1", "e"));
    }

    /** Keys S3 takes and the key rule refuses reach the trigger as they were written, so its FAILED record names them. */
    @Test
    void decodesKeysWithControlCharactersDoubledSlashesAndTheLongestLength() throws Exception {
        String longest = "inputs/" + "k".repeat(1024 - "inputs/".length());
        for (String[] encodedAndKey : new String[][] {{"inputs/ctl%01x.mp4", "inputs/ctl" + (char) 1 + "x.mp4"},
                {"inputs/line%0Abreak.mp4", "inputs/line\nbreak.mp4"}, {"inputs/a//b.mp4", "inputs/a//b.mp4"},
                {"inputs/del%7F.mp4", "inputs/del" + (char) 0x7f + ".mp4"}, {longest, longest}}) {
            var records = UploadTriggerHandler.records(JSON.readTree("{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},"
                    + "\"object\":{\"key\":\"" + encodedAndKey[0] + "\",\"eTag\":\"e\"}}}]}"));
            assertThat(records).containsExactly(new UploadTriggerHandler.Created("b", encodedAndKey[1], null, "e"));
            assertThat(io.outpaint.request.ObjectKeys.inputKey("key", encodedAndKey[1]).isPresent())
                    .as(encodedAndKey[0]).isEqualTo(!encodedAndKey[1].equals(longest));
        }
    }

    @Test
    void s3sTestEventStartsNothing() throws Exception {
        assertThat(UploadTriggerHandler.records(JSON.readTree("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
                + "\"Time\":\"2026-11-24T10:00:00.000Z\",\"Bucket\":\"b\"}"))).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnS3EventNamingTheField() {
        assertThatThrownBy(() -> UploadTriggerHandler.records(JSON.readTree("{}")))
                .hasMessage("not an S3 event: Records must be an array");
        assertThatThrownBy(() -> UploadTriggerHandler.records(JSON.readTree("{\"Records\":[{\"s3\":{\"object\":{\"key\":\"k\"}}}]}")))
                .hasMessage("not an S3 event: Records[0].s3.bucket.name must be a non-empty string");
        assertThatThrownBy(() -> UploadTriggerHandler.records(JSON.readTree(
                "{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":7}}}]}")))
                .hasMessage("not an S3 event: Records[0].s3.object.key must be a non-empty string");
        assertThatThrownBy(() -> UploadTriggerHandler.records(JSON.readTree(
                "{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"inputs/%zz.mp4\"}}}]}")))
                .hasMessage("Records[0].s3.object.key is not URL-encoded as S3 sends it");
    }
}
