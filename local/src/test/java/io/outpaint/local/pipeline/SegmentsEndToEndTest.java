package io.outpaint.local.pipeline;

import static io.outpaint.local.testing.VideoChecks.audioMd5;
import static io.outpaint.local.testing.VideoChecks.calmClip;
import static io.outpaint.local.testing.VideoChecks.psnr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.MediaInfo;
import io.outpaint.media.finish.FinishLimits;
import io.outpaint.media.finish.FinishSpec;
import io.outpaint.media.finish.MediaProbe;
import io.outpaint.media.finish.FinishSegment;
import io.outpaint.media.finish.SeamMetric;
import io.outpaint.media.finish.SegmentCut;
import io.outpaint.media.finish.SegmentFinisher;
import io.outpaint.media.finish.SegmentJoiner;
import io.outpaint.media.finish.SegmentPieces;
import io.outpaint.segments.Segments;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A clip longer than one generation, through the real state machine on the local runtime at a limit of one slot:
 * the parent is split into segment jobs that run through the queue one at a time, the last to succeed starts the
 * parent's join (a Map finishing each segment, then Join), and one video comes out with the input's every frame, its
 * rate, its audio byte for byte, its pixels in the centre, and the margins colour-matched and cross-faded at the segments' boundaries
 * (the simulator tints each generation's margins its own way, so a missing cross-fade shows, as SeamMetric measures).
 * The 40 s clip runs once for the class ({@link #fortySeconds()}): its test reads the first end, then the
 * segment retry generates one of its segments again; the other clips are at 8 fps, the same segments in a third of the
 * frames, where the source's rate is not what a test asserts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentsEndToEndTest {

    /**
     * The largest boundary step allowed, over the segments' own (SeamMetric), as the issue asks. With the cross-fade paced
     * by the margins (FadePace) the boundaries measure 0.56 to 1.24 (docs/benchmarks.md, the seam table), against up to
     * 1.50 with an even fade; a hard cut between two generations is 10 to 70, the cross-fade alone between hues far
     * apart 2 to 9.
     */
    private static final double SEAM_BOUND = 1.5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static final FfmpegPrograms FFMPEG = FfmpegPrograms.locate();
    private static final MediaProbe PROBE = MediaProbe.using(FFMPEG, Duration.ofMinutes(2));
    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"16:9\"}}";
    private static LocalPipeline pipeline;
    private static SfnClient sfn;
    private static S3Client s3;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(500)));
        sfn = pipeline.cloud().stepFunctions();
        s3 = pipeline.cloud().s3();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void noFaultsLeft() {
        pipeline.simulator().faults().clear();
    }

    /**
     * The clip (40 s at 24 fps with sound, three segments) and a second clip started at once behind it, both run to
     * their end, once for the class: {@code jobsBefore} is the simulator's job count before either started.
     */
    private record FortySeconds(Path clip, String first, String second, int jobsBefore) {}

    private static FortySeconds forty;

    /**
     * The two clips' run, started by the first test that asks (the main test runs first, the segment retry after it, on the
     * same parent: generating one segment again is what the retry test measures, not the first end, which costs as much
     * again); each test reads the records afresh.
     */
    private static synchronized FortySeconds fortySeconds() throws Exception {
        if (forty == null) {
            Path clip = clip("forty.mp4", 40);
            Path other = calmClip(dir.resolve("twenty.mp4"), 20, 8);
            int jobsBefore = pipeline.simulator().jobsCreated();
            String first = start(clip);
            String second = start(other); // queued behind the first: its segments wait behind the first's
            awaitEnd(first);
            awaitEnd(second);
            forty = new FortySeconds(clip, first, second, jobsBefore);
        }
        return forty;
    }

    @Test
    @Order(1)
    void aFortySecondClipIsGeneratedInSegmentsOneAtATimeAndJoinedIntoOneVideoWithItsSoundAndCrossFadedMargins() throws Exception {
        FortySeconds run = fortySeconds();
        Path clip = run.clip();
        String first = run.first();
        int jobsBefore = run.jobsBefore();
        Job parent = record(first);
        Job behind = record(run.second());
        assertThat(Segments.retries(parent)).as("the first end, before any segment retry").isEmpty();
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(behind.status()).as(String.valueOf(behind.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(parent.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.ADMITTED, JobStatus.SPLITTING,
                JobStatus.RENDERING_SEGMENTS, JobStatus.JOINING, JobStatus.SUCCEEDED);
        assertThat(parent.scenario().jobId()).as("the parent itself never reached Scenario").isNull();

        // the path: the parent's first execution splits and ends; its join runs in an execution the last segment started
        List<List<String>> own = executionsOf(first).stream().map(SegmentsEndToEndTest::path).toList();
        assertThat(own).as("the parent's executions").anySatisfy(p -> assertThat(p).endsWith("UploadInput", "IsSplit", "Split", "SegmentsQueued"))
                .allSatisfy(p -> assertThat(p).doesNotContain("Submit"));
        List<String> join = path(parent.executionArn());
        assertThat(join).startsWith("Identify", "Admit", "IsAdmitted", "FinishSegments").endsWith("Join", "IsFinished", "Notify", "Done");
        int count = Segments.count(parent);
        assertThat(count).isGreaterThanOrEqualTo(3);
        assertThat(join.stream().filter("FinishSegment"::equals)).hasSize(count);

        // each segment a job of its own, through Scenario once, with the plan's frames and the one seed
        List<Job> segments = Segments.jobIds(parent).stream().map(SegmentsEndToEndTest::record).toList();
        long seed = Segments.plan(parent).path("seed").asLong();
        for (Job segment : segments) {
            assertThat(segment.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(segment.scenario().jobId()).isNotNull();
            assertThat(segment.request().path("seed").asLong()).isEqualTo(seed);
            assertThat(segment.request().path("finish").asBoolean()).isFalse();
            assertThat(Segments.segmentOf(segment)).hasValueSatisfying(of -> assertThat(of.parent()).isEqualTo(first));
        }
        assertThat(segments).extracting(s -> s.scenario().jobId()).doesNotHaveDuplicates();
        // each segment's input, as Split cut it for Scenario: exactly its planned frames, no sound
        var planned = Segments.plan(parent).path("each");
        for (Job segment : segments) {
            int index = Segments.segmentOf(segment).orElseThrow().index();
            Path cut = dir.resolve(segment.jobId() + "-input.mp4");
            Files.write(cut, s3.getObjectAsBytes(b -> b.bucket(LocalPipeline.BUCKET).key(segment.source().key())).asByteArray());
            MediaInfo cutInfo = PROBE.probe(cut);
            assertThat(cutInfo.frames()).as(segment.source().key())
                    .isEqualTo(planned.get(index).path("endFrame").asLong() - planned.get(index).path("firstFrame").asLong());
            assertThat(cutInfo.audio()).isEmpty();
        }
        // one slot: Scenario never had two jobs at once, and the second clip's segments came after every one of the first's
        assertThat(pipeline.simulator().peakJobsInFlight()).isEqualTo(1);
        assertThat(pipeline.simulator().jobsCreated() - jobsBefore).isEqualTo(count + Segments.count(behind));
        // (the two were started by hand at once: either may have been admitted first; the other's segments wait behind its)
        List<Job> others = Segments.jobIds(behind).stream().map(SegmentsEndToEndTest::record).toList();
        boolean firstWent = at(segments.get(0), JobStatus.ADMITTED).isBefore(at(others.get(0), JobStatus.ADMITTED));
        List<Job> earlier = firstWent ? segments : others;
        List<Job> later = firstWent ? others : segments;
        Instant lastOfEarlier = earlier.stream().map(s -> at(s, JobStatus.ADMITTED)).max(Instant::compareTo).orElseThrow();
        for (Job segment : later) {
            assertThat(at(segment, JobStatus.ADMITTED)).as(segment.jobId()).isAfter(lastOfEarlier);
        }
        for (int i = 1; i < segments.size(); i++) {
            assertThat(at(segments.get(i), JobStatus.ADMITTED)).as("in order").isAfter(at(segments.get(i - 1), JobStatus.ADMITTED));
        }

        // the one output: every frame, the rate, the sound, the centre; no seam at the boundaries
        Job.Output video = parent.outputs().get(0);
        assertThat(parent.outputs()).extracting(Job.Output::key).containsExactly("outputs/" + first + "/outpaint.mp4",
                "outputs/" + first + "/poster.jpg");
        Path finished = dir.resolve(first + ".mp4");
        Files.write(finished, s3.getObjectAsBytes(b -> b.bucket(video.bucket()).key(video.key())).asByteArray());
        assertThat(Files.size(finished)).isEqualTo(video.bytes());
        MediaInfo in = PROBE.probe(clip);
        MediaInfo out = PROBE.probe(finished);
        assertThat(out.frames()).isEqualTo(in.frames());
        assertThat(out.fps()).isEqualTo(in.fps());
        assertThat((long) out.width() * 9).isEqualTo((long) out.height() * 16);
        assertThat(audioMd5(finished)).as("the audio packets, byte for byte").isEqualTo(audioMd5(clip));
        var source = parent.framing().path("source");
        int seam = io.outpaint.media.finish.Finisher.SEAM_PX;
        String centre = "crop=" + (source.path("width").asInt() - 2 * seam) + ":" + (source.path("height").asInt() - 2 * seam) + ":"
                + (source.path("x").asInt() + seam) + ":" + (source.path("y").asInt() + seam);
        String inputCentre = "crop=iw-" + 2 * seam + ":ih-" + 2 * seam + ":" + seam + ":" + seam;
        assertThat(psnr(finished, centre, clip, inputCentre)).as("the source's pixels at their place, over the whole clip")
                .isGreaterThan(40);
        // no seam: the margins change across each boundary as much as anywhere inside the segments (SeamMetric)
        FinishSpec.Rect rect = new FinishSpec.Rect(source.path("x").asInt(), source.path("y").asInt(), source.path("width").asInt(),
                source.path("height").asInt());
        List<SegmentCut> cuts = cuts(parent);
        SeamMetric.Result seams = SeamMetric.measure(FFMPEG, finished, rect, SeamMetric.overlaps(cuts));
        // the same pieces (in work/, as FinishSegment wrote them) joined with a hard cut; and each segment finished again
        // here from its own generation alone, its margins' colours as generated, joined with a hard cut and with the
        // cross-fade alone
        List<SegmentPieces> matched = fetchPieces(parent, cuts);
        List<SegmentPieces> unmatched = finishUnmatched(parent, segments, cuts, clip);
        SeamMetric.Result hardMatched = SeamMetric.measure(FFMPEG, joinAgain(parent, matched, clip, SegmentJoiner.Overlap.HARD_CUT,
                "matched-hard"), rect, SeamMetric.overlaps(cuts));
        SeamMetric.Result cut = SeamMetric.measure(FFMPEG, joinAgain(parent, unmatched, clip, SegmentJoiner.Overlap.HARD_CUT,
                "unmatched-hard"), rect, SeamMetric.overlaps(cuts));
        SeamMetric.Result fadeOnly = SeamMetric.measure(FFMPEG, joinAgain(parent, unmatched, clip, SegmentJoiner.Overlap.CROSS_FADE,
                "unmatched-fade"), rect, SeamMetric.overlaps(cuts));
        System.out.printf("long clip: %d segments, %d frames, seam ratios %s matched and cross-faded (references %s), %s matched and"
                        + " hard-cut, %s as generated and hard-cut, %s as generated and cross-faded%n", count, out.frames(),
                seams.boundaryRatios(), seams.references(), hardMatched.boundaryRatios(), cut.boundaryRatios(), fadeOnly.boundaryRatios());
        // the bound: at every boundary the margins change little more than they do inside the segments (the simulator
        // tints each generation's margins a hue of its own; FinishSegment matches neighbours' colours where they overlap,
        // sample by sample as far as each carries the cast, and the cross-fade is left with little to hide)
        assertThat(seams.boundaryRatios()).as("each boundary's largest step over the segments' own").hasSize(count - 1)
                .allSatisfy(ratio -> assertThat(ratio).isLessThanOrEqualTo(SEAM_BOUND));
        // the metric sees a seam where there is one: the segments as generated, hard-cut, jump where their hues differ
        assertThat(cut.boundaryRatios()).as("hard-cut boundaries of the segments as generated")
                .anySatisfy(ratio -> assertThat(ratio).isGreaterThan(3));
        // and it is the colour match that hides it: at the boundary whose generations differ most, the cross-fade alone
        // leaves more of a step than the match and the cross-fade together
        int widest = 0;
        for (int b = 1; b < cuts.size() - 1; b++) {
            widest = cut.boundaryRatios().get(b) > cut.boundaryRatios().get(widest) ? b : widest;
        }
        if (cut.boundaryRatios().get(widest) > 10) {
            assertThat(seams.boundaryRatios().get(widest)).as("boundary %d: matched and cross-faded against cross-faded alone", widest + 1)
                    .isLessThan(fadeOnly.boundaryRatios().get(widest));
        }
    }

    /** A seed whose simulated tint of {@code segment}'s generation is the farthest hue from {@code neighbour}'s at {@code seed}. */
    private static long oppositeHue(long seed, Job neighbour, Job segment) throws Exception {
        int target = (io.outpaint.simulator.video.Tint.of(seed, inputSha256(neighbour)).hueDegrees() + 180) % 360;
        String digest = inputSha256(segment);
        long best = seed == 7 ? 8 : 7;
        int bestOff = 360;
        for (long s = 1; s < 5000; s++) {
            int h = io.outpaint.simulator.video.Tint.of(s, digest).hueDegrees();
            int off = Math.min(Math.abs(h - target), 360 - Math.abs(h - target));
            if (s != seed && off < bestOff) {
                best = s;
                bestOff = off;
            }
        }
        assertThat(bestOff).as("a seed that tints segment %s's margins opposite its neighbour's", segment.jobId()).isLessThan(10);
        return best;
    }

    private static String inputSha256(Job segment) throws Exception {
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(segment.source().bucket()).key(segment.source().key())).asByteArray();
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The parent's segments as its plan has them. */
    private static List<SegmentCut> cuts(Job parent) {
        var each = Segments.plan(parent).path("each");
        List<SegmentCut> cuts = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            long next = i + 1 < each.size() ? each.get(i + 1).path("overlapWithPrevious").asLong() : 0;
            cuts.add(new SegmentCut(i, each.get(i).path("firstFrame").asLong(), each.get(i).path("endFrame").asLong(),
                    each.get(i).path("overlapWithPrevious").asLong(), next));
        }
        return cuts;
    }

    /** The parent's finished pieces, fetched from work/ where FinishSegment wrote them. */
    private static List<SegmentPieces> fetchPieces(Job parent, List<SegmentCut> cuts) throws Exception {
        Path work = Files.createDirectories(dir.resolve("pieces-" + parent.jobId()));
        List<SegmentPieces> pieces = new ArrayList<>();
        List<Segments.Item> items = Segments.items(parent);
        for (SegmentCut cut : cuts) {
            Path folder = Files.createDirectories(work.resolve(String.valueOf(cut.index())));
            for (String name : List.of(SegmentPieces.HEAD, SegmentPieces.BODY, SegmentPieces.TAIL)) {
                String key = Segments.pieceKey(parent.jobId(), items, cut.index(), name, "");
                var listed = s3.listObjectsV2(b -> b.bucket(LocalPipeline.BUCKET).prefix(key)).contents();
                if (!listed.isEmpty()) {
                    Files.write(folder.resolve(name), s3.getObjectAsBytes(b -> b.bucket(LocalPipeline.BUCKET).key(key)).asByteArray());
                }
            }
            pieces.add(SegmentPieces.in(folder, cut));
        }
        return pieces;
    }

    /** Each segment finished again, here, from its own raw generation alone: its margins' colours as generated. */
    private static List<SegmentPieces> finishUnmatched(Job parent, List<Job> segments, List<SegmentCut> cuts, Path clip) throws Exception {
        Path work = Files.createDirectories(dir.resolve("unmatched-" + parent.jobId()));
        SegmentFinisher finisher = new SegmentFinisher(FFMPEG, FinishLimits.LAMBDA, Duration.ofMinutes(5));
        List<SegmentPieces> pieces = new ArrayList<>();
        for (SegmentCut cut : cuts) {
            Job.Output raw = segments.get(cut.index()).outputs().get(0);
            Path generated = work.resolve(cut.index() + "-generated.mp4");
            Files.write(generated, s3.getObjectAsBytes(b -> b.bucket(raw.bucket()).key(raw.key())).asByteArray());
            pieces.add(finisher.finish(clip, cut, generated, spec(parent), work.resolve(String.valueOf(cut.index()))));
        }
        return pieces;
    }

    private static FinishSpec spec(Job parent) {
        return io.outpaint.media.finish.FinishFraming.of(io.outpaint.request.FramingJson.read(parent.framing()));
    }

    /** {@code pieces} joined again, here, with {@code overlap}. */
    private static Path joinAgain(Job parent, List<SegmentPieces> pieces, Path clip, SegmentJoiner.Overlap overlap, String name) {
        return new SegmentJoiner(FFMPEG, Duration.ofMinutes(5)).join(clip, pieces, spec(parent), dir.resolve(name + "-" + parent.jobId()),
                overlap).video();
    }

    @Test
    @Order(2)
    void aSegmentRetriedThroughTheApiIsGeneratedAgainWithANewSeedAndTheClipJoinedAgainOverTheOthersGenerations() throws Exception {
        Path clip = fortySeconds().clip();
        String id = fortySeconds().first();
        Job parent = record(id);
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Segments.retries(parent)).as("no segment generated again yet").isEmpty();
        int count = Segments.count(parent);
        assertThat(count).isGreaterThanOrEqualTo(3);
        List<Job> before = Segments.jobIds(parent).stream().map(SegmentsEndToEndTest::record).toList();
        String firstJoin = parent.executionArn();
        long planSeed = Segments.plan(parent).path("seed").asLong();
        int scenarioJobs = pipeline.simulator().jobsCreated();
        Instant asked = Instant.now();

        // segment 2, as lists number them, through the API's handler, with a seed of our choosing: the one whose simulated
        // generation's margins take the hue farthest from segment 1's, the largest colour jump two generations can make,
        // which the join must still hide (the console's test retries with a random seed)
        long chosen = oppositeHue(planSeed, before.get(0), before.get(1));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/jobs/" + id
                + "/segments/2/retry")).header("x-api-key", pipeline.httpApi().apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"seed\": " + chosen + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        var body = JSON.readTree(answer.body());
        assertThat(body.path("status").asText()).isEqualTo("RENDERING_SEGMENTS");
        String retryId = body.path("retry").path("jobId").asText();
        assertThat(retryId).isEqualTo(Segments.jobId(id, 1, 2));
        long newSeed = body.path("retry").path("seed").asLong();
        assertThat(newSeed).isEqualTo(chosen).isNotEqualTo(planSeed);
        assertThat(body.path("retry").path("previousSeed").asLong()).isEqualTo(planSeed);
        assertThat(body.path("outputs").get(0).path("key").asText()).as("the download stays while the segment renders again")
                .isEqualTo(parent.outputs().get(0).key());

        Job after = awaitEnd(id);
        assertThat(after.status()).as(String.valueOf(after.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(after.history()).extracting(Job.StatusChange::status).endsWith(JobStatus.SUCCEEDED, JobStatus.RENDERING_SEGMENTS,
                JobStatus.JOINING, JobStatus.SUCCEEDED);
        // exactly one new Scenario job: segment 2's, with the new seed; the others' generations were reused as they were
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobs).isEqualTo(1);
        Job again = record(retryId);
        assertThat(again.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(again.request().path("seed").asLong()).isEqualTo(newSeed);
        assertThat(again.scenario().jobId()).isNotNull().isNotEqualTo(before.get(1).scenario().jobId());
        assertThat(Segments.jobIds(after)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> i == 1 ? retryId : before.get(i).jobId()).toList());
        for (Job segment : before) {
            assertThat(record(segment.jobId())).as("untouched: " + segment.jobId()).isEqualTo(segment);
        }
        var retries = Segments.retries(after);
        assertThat(retries).hasSize(1);
        assertThat(retries.get(0).segment()).isEqualTo(2);
        assertThat(retries.get(0).previousSeed()).isEqualTo(planSeed);
        assertThat(retries.get(0).seed()).isEqualTo(newSeed);

        // the path of the second join: its own execution, Admit -> FinishSegments (a Map over every segment) -> Join
        assertThat(after.executionArn()).isNotEqualTo(firstJoin);
        List<String> join = path(after.executionArn());
        assertThat(join).startsWith("Identify", "Admit", "IsAdmitted", "FinishSegments").endsWith("Join", "IsFinished", "Notify", "Done");
        assertThat(join.stream().filter("FinishSegment"::equals)).hasSize(count);
        // its Notify told the listeners of the second end: the retry, the new video, a notice id of its own
        List<com.fasterxml.jackson.databind.JsonNode> notices = new ArrayList<>();
        Instant noticed = Instant.now().plusSeconds(30);
        while (notices.size() < 2 && Instant.now().isBefore(noticed)) {
            notices.clear();
            for (var entry : pipeline.cloud().events().received()) {
                var detail = JSON.readTree(entry.path("Detail").asText());
                if (detail.path("jobId").asText().equals(id)) {
                    notices.add(detail);
                }
            }
            Thread.sleep(100);
        }
        assertThat(notices).extracting(n -> n.path("noticeId").asText()).containsExactly(id + ".1", id + ".2");
        assertThat(notices.get(0).has("segmentRetry")).isFalse();
        assertThat(notices.get(1).path("segmentRetry").path("segment").asInt()).isEqualTo(2);
        assertThat(notices.get(1).path("segmentRetry").path("jobId").asText()).isEqualTo(retryId);
        assertThat(notices.get(1).path("segmentRetry").path("seed").asLong()).isEqualTo(newSeed);
        assertThat(notices.get(1).path("outputs").get(0).path("sha256").asText()).isEqualTo(after.outputs().get(0).sha256());
        // segment 2's new attempt and its two neighbours (whose margins meet its new colours) were finished anew, under
        // keys naming the round; the first round's pieces were left as written, and no other piece was written again
        var pieces = s3.listObjectsV2(b -> b.bucket(LocalPipeline.BUCKET).prefix(Segments.WORK_PREFIX + id + "/pieces/")).contents();
        List<Segments.Item> newItems = Segments.items(after);
        java.util.Set<String> round = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            for (String name : FinishSegment.pieces(FinishSegment.cutOf(after, i)).keySet()) {
                round.add(Segments.pieceKey(id, newItems, i, name, ""));
            }
        }
        assertThat(round).as("segments 1 to 3 are in the new round").allMatch(k -> k.matches(".*/00[123]-a[12]\\.[12]\\.[12]-.*"));
        assertThat(pieces).extracting(o -> o.key()).containsAll(round);
        for (var piece : pieces) {
            boolean renewed = round.contains(piece.key());
            assertThat(piece.lastModified().isAfter(asked.minusSeconds(1))).as(piece.key()).isEqualTo(renewed);
        }

        // the new output: every frame, the rate, the sound, the centre; and not the old one
        Job.Output video = after.outputs().get(0);
        assertThat(video.key()).isEqualTo(parent.outputs().get(0).key());
        assertThat(video.sha256()).as("segment 2's margins are another generation's").isNotEqualTo(parent.outputs().get(0).sha256());
        Path finished = dir.resolve(id + "-again.mp4");
        Files.write(finished, s3.getObjectAsBytes(b -> b.bucket(video.bucket()).key(video.key())).asByteArray());
        assertThat(Files.size(finished)).isEqualTo(video.bytes());
        MediaInfo in = PROBE.probe(clip);
        MediaInfo out = PROBE.probe(finished);
        assertThat(out.frames()).isEqualTo(in.frames());
        assertThat(out.fps()).isEqualTo(in.fps());
        assertThat(audioMd5(finished)).as("the audio packets, byte for byte").isEqualTo(audioMd5(clip));
        var source = after.framing().path("source");
        int seam = io.outpaint.media.finish.Finisher.SEAM_PX;
        String centre = "crop=" + (source.path("width").asInt() - 2 * seam) + ":" + (source.path("height").asInt() - 2 * seam) + ":"
                + (source.path("x").asInt() + seam) + ":" + (source.path("y").asInt() + seam);
        assertThat(psnr(finished, centre, clip, "crop=iw-" + 2 * seam + ":ih-" + 2 * seam + ":" + seam + ":" + seam))
                .as("the source's pixels at their place, over the whole clip").isGreaterThan(40);
        System.out.printf("segment retry: %d segments, 1 new Scenario job, seed %d -> %d, %d frames%n", count, planSeed, newSeed,
                out.frames());
        FinishSpec.Rect rect = new FinishSpec.Rect(source.path("x").asInt(), source.path("y").asInt(), source.path("width").asInt(),
                source.path("height").asInt());
        SeamMetric.Result seams = SeamMetric.measure(FFMPEG, finished, rect, SeamMetric.overlaps(cuts(after)));
        System.out.printf("segment retry: seam ratios %s (references %s)%n", seams.boundaryRatios(), seams.references());
        assertThat(seams.boundaryRatios()).as("each boundary's largest step over the segments' own, opposite hues at the first")
                .allSatisfy(ratio -> assertThat(ratio).isLessThanOrEqualTo(SEAM_BOUND));
    }

    @Test
    @Order(3)
    void aSegmentThatFailsOnceIsGeneratedAgainWithTheSameSeedAndTheClipSucceeds() throws Exception {
        pipeline.simulator().faults().nextFailingJobs(1, "Generation failed: out of capacity", "try again");
        String id = start(calmClip(dir.resolve("retried.mp4"), 20, 8));
        Job parent = awaitEnd(id);
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        Segments.Item first = Segments.items(parent).get(0);
        assertThat(first.attempt()).isEqualTo(2);
        Job failed = record(Segments.jobId(id, 0, 1));
        Job retried = record(first.jobId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(retried.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(retried.request().path("seed")).isEqualTo(failed.request().path("seed"));
        assertThat(retried.scenario().jobId()).isNotEqualTo(failed.scenario().jobId());
    }

    @Test
    @Order(4)
    void aSegmentThatFailsTwiceFailsTheParentNamingItAndNothingOfItWaits() throws Exception {
        pipeline.simulator().faults().nextFailingJobs(2, "Generation failed: the model could not process the input video", "shorter");
        String id = start(calmClip(dir.resolve("doomed.mp4"), 20, 8));
        Job parent = awaitEnd(id);
        assertThat(parent.status()).isEqualTo(JobStatus.FAILED);
        assertThat(parent.error().code()).isEqualTo("SEGMENT_FAILED");
        assertThat(parent.error().message()).startsWith("segment 1 of 2").contains("failed 2 times", "could not process the input video");
        // the fan-in records the parent's failure, then takes its other segments out of the queue, in the same call
        Job second = record(Segments.jobId(id, 1, 1));
        for (Instant until = Instant.now().plusSeconds(30); second.status() != JobStatus.CANCELED && Instant.now().isBefore(until); ) {
            Thread.sleep(100);
            second = record(second.jobId());
        }
        assertThat(second.status()).as("the other segment left the queue: the failed one's second attempt ran first")
                .isEqualTo(JobStatus.CANCELED);
        assertThat(second.scenario().jobId()).as("never sent to Scenario").isNull();
        assertThat(pipeline.services().jobs().waiting(10)).extracting(Job::jobId).noneMatch(j -> j.startsWith(id));
    }

    /** A calm clip of {@code seconds} at 24 fps, 4:3, with a sine tone (VideoChecks.calmClip). */
    private static Path clip(String name, int seconds) throws Exception {
        return calmClip(dir.resolve(name), seconds);
    }

    private static String start(Path clip) throws Exception {
        String jobId = "long-" + UUID.randomUUID();
        String key = "inputs/" + jobId + "/" + clip.getFileName();
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(clip));
        pipeline.start(jobId, key, (ObjectNode) JSON.readTree(REQUEST));
        return jobId;
    }

    private static Job awaitEnd(String jobId) throws InterruptedException {
        return io.outpaint.local.testing.JobEnds.awaitEnd(pipeline, jobId, Duration.ofMinutes(8));
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().find(jobId).orElseThrow(() -> new AssertionError("no job " + jobId));
    }

    private static Instant at(Job job, JobStatus status) {
        return job.history().stream().filter(c -> c.status() == status).map(Job.StatusChange::at).findFirst()
                .orElseThrow(() -> new AssertionError(job.jobId() + " was never " + status));
    }

    /** The ARNs of the job's own executions (its first, its resumed and its join), not its segments'. */
    private static List<String> executionsOf(String jobId) {
        return sfn.listExecutionsPaginator(b -> b.stateMachineArn(pipeline.stateMachineArn())).executions().stream()
                .filter(e -> e.name().equals(jobId) || e.name().matches(java.util.regex.Pattern.quote(jobId) + "-r[0-9]+"))
                .map(e -> e.executionArn()).toList();
    }

    private static List<String> path(String jobIdOrArn) {
        String arn = jobIdOrArn.startsWith("arn:") ? jobIdOrArn
                : pipeline.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + jobIdOrArn;
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream()
                .filter(e -> e.stateEnteredEventDetails() != null).map(HistoryEvent::stateEnteredEventDetails)
                .map(d -> d.name()).toList();
    }

}
