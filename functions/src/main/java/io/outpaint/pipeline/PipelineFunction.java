package io.outpaint.pipeline;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The catalogue of the pipeline's functions: the one list that the state machine's placeholders,
 * the stack (functions, memory, timeouts, environment, grants), the local runtime and the generic
 * step handler all read. Adding a step is one entry here plus its class; contract tests hold the
 * ASL, the synthesized template and the local wiring to this list.
 */
public enum PipelineFunction {
    ADMIT("Admit", 512, 60, EnumSet.of(Need.INPUTS_READ, Need.START_EXECUTIONS), Dynamo.QUEUEING,
            s -> new Admit(s.jobs(), s.slots(), s.config().maxJobsInFlight(), s.admission(), s.inputs(), s.config().bucket(),
                    s.config().retentionDays(), s.clock(), QueueEstimates.of(s), s.budgets())),
    // WORK_READ: a segment's input is the Split step's cut, under work/
    UPLOAD_INPUT("UploadInput", 1024, 900, EnumSet.of(Need.SCENARIO, Need.INPUTS_READ, Need.WORK_READ), Dynamo.UPDATING,
            s -> new UploadInput(s.jobs(), s.inputs(), s.scenario(), s.config().bucket(), s.config().maxInputDuration(),
                    io.outpaint.segments.SegmentRules.model(s.config().segmentOverlapFrames()), s.clock())),
    SUBMIT("Submit", 512, 120, EnumSet.of(Need.SCENARIO), Dynamo.UPDATING,
            s -> new Submit(s.jobs(), s.scenario(), s.config().poll(), s.durations(), s.clock())),
    // PRICING: a job it admits under a budget whose shape has no price yet is priced by a dry run, and the price kept
    CHECK_STATUS("CheckStatus", 512, 60, EnumSet.of(Need.SCENARIO, Need.START_EXECUTIONS), Dynamo.PRICING,
            s -> new CheckStatus(s.jobs(), s.scenario(), s.config().poll(), s.config().maxPollTime(), s.durations(),
                    s.admission(), s.clock())),
    COPY_RESULTS("CopyResults", 2048, 900, EnumSet.of(Need.SCENARIO, Need.OUTPUTS_WRITE, Need.START_EXECUTIONS), Dynamo.PRICING,
            s -> new CopyResults(s.jobs(), s.scenario(), s.copier(), s.config().bucket(), s.admission(), s.clock())
                    .withFanIn(SegmentFanIn.of(s))),
    /*
     * 3008 MB: Lambda gives CPU in proportion to memory (1769 MB is one vCPU), and FFmpeg's decode, filter graph and
     * encode run on every core it gets; 3008 MB (about 1.7 vCPUs) is the two shared cores FinishLimits' budget was
     * measured on. Its memory holds FFmpeg's frames of a 4K canvas and a JVM that only waits on it.
     */
    // OUTPUTS_WRITE grants reading outputs/ too: the step reads raw.mp4 and writes outpaint.mp4 and poster.jpg beside it
    FINISH("Finish", 3008, 900, EnumSet.of(Need.INPUTS_READ, Need.OUTPUTS_WRITE), Dynamo.UPDATING, Asset.MEDIA,
            // the class is named only inside the lambda: the shared asset, which lacks it, never resolves it
            s -> io.outpaint.media.finish.Finish.lambda(s.jobs(), s.s3Client(), s.clock())),
    // QUEUEING: a failed segment's second attempt is a new job
    RECORD_FAILURE("RecordFailure", 512, 60, EnumSet.of(Need.START_EXECUTIONS), Dynamo.QUEUEING,
            s -> new RecordFailure(s.jobs(), s.admission(), s.clock()).withFanIn(SegmentFanIn.of(s))),
    /*
     * A long clip's steps, in the media asset as Finish is (FFmpeg; its memory and time for the same reasons). Split cuts
     * the parent's input into segment inputs under work/ and queues one job per segment (QUEUEING: it creates them).
     * Scenario for a dry run: the plan it makes from the clip is priced against the job's maxCreativeUnits first.
     */
    SPLIT("Split", 3008, 900, EnumSet.of(Need.SCENARIO, Need.INPUTS_READ, Need.WORK_READ, Need.WORK_WRITE, Need.START_EXECUTIONS),
            Dynamo.QUEUEING, Asset.MEDIA, s -> io.outpaint.media.finish.Split.lambda(s.jobs(), s.s3Client(),
                    new JobStarter(s.jobs(), s.admission(), s.clock()), s.admission(),
                    io.outpaint.segments.SegmentRules.model(s.config().segmentOverlapFrames()), s.clock(), LandedPrice.of(s))),
    // one segment finished against the parent's source (a Map's iteration): reads the segment's raw generation in outputs/
    FINISH_SEGMENT("FinishSegment", 3008, 900, EnumSet.of(Need.INPUTS_READ, Need.OUTPUTS_READ, Need.WORK_READ, Need.WORK_WRITE),
            Dynamo.READING, Asset.MEDIA, s -> io.outpaint.media.finish.MediaSteps.finishSegment(s.jobs(), s.s3Client())),
    JOIN("Join", 3008, 900, EnumSet.of(Need.INPUTS_READ, Need.WORK_READ, Need.OUTPUTS_WRITE), Dynamo.UPDATING, Asset.MEDIA,
            s -> io.outpaint.media.finish.MediaSteps.join(s.jobs(), s.s3Client(), s.clock())),
    NOTIFY("Notify", 512, 60, EnumSet.of(Need.WEBHOOK_SECRET, Need.EVENTS), Dynamo.READING,
            s -> new Notify(s.jobs(), s.notifier(), io.outpaint.notify.WebhookPolicy.of(s.config()))),
    // WORK_READ: a segment's retry checks (HeadObject) that the segment's cut under work/ is still there
    API("Api", "io.outpaint.handlers.ApiHandler", 1024, 29,
            EnumSet.of(Need.SCENARIO, Need.INPUTS_READ, Need.INPUTS_WRITE, Need.OUTPUTS_READ, Need.WORK_READ, Need.START_EXECUTIONS,
                    Need.STOP_EXECUTIONS, Need.WEBHOOK_SECRET), Dynamo.QUEUEING),
    // Scenario for a dry run: an uploaded video's job is priced as it is queued, for a budget to hold it
    UPLOAD_TRIGGER("UploadTrigger", "io.outpaint.handlers.UploadTriggerHandler", 512, 120,
            EnumSet.of(Need.SCENARIO, Need.INPUTS_READ, Need.START_EXECUTIONS), Dynamo.QUEUEING),
    RECONCILE("Reconcile", "io.outpaint.handlers.ReconcileHandler", 512, 60, EnumSet.of(Need.START_EXECUTIONS), Dynamo.DISPATCHING),
    // Scenario for a dry run: a queued job whose shape has no price yet is priced by the sweep's dispatch at the latest,
    // and the price kept in the book (PutItem of its #price# item; QUEUEING, which the fan-in's repair needs too: it
    // creates a segment's second attempt, or one named but never created); the webhook secret and events: a parent its
    // fan-in repair fails is notified by the sweep (SegmentFanIn.heal)
    SWEEP("Sweep", "io.outpaint.handlers.SweepHandler", 512, 120,
            EnumSet.of(Need.SCENARIO, Need.INPUTS_READ, Need.START_EXECUTIONS, Need.DESCRIBE_EXECUTIONS, Need.WEBHOOK_SECRET,
                    Need.EVENTS), Dynamo.QUEUEING);

    /** What a function is given: each need is an environment variable (or a few) and a grant. */
    public enum Need { SCENARIO, INPUTS_READ, INPUTS_WRITE, OUTPUTS_READ, OUTPUTS_WRITE, WORK_READ, WORK_WRITE, START_EXECUTIONS,
        STOP_EXECUTIONS, DESCRIBE_EXECUTIONS, WEBHOOK_SECRET, EVENTS }

    /**
     * The deployment asset a function runs from: SHARED is functions/target/lambda (no FFmpeg, so every other function
     * keeps its size and cold start), MEDIA is functions/target/lambda-media (the same plus bytedeco's FFmpeg).
     */
    public enum Asset {
        SHARED("functions/target/lambda"), MEDIA("functions/target/lambda-media");

        private final String path;

        Asset(String path) {
            this.path = path;
        }

        /** The asset's folder, relative to the project's root. */
        public String path() {
            return path;
        }
    }

    /** The DynamoDB actions a function calls on the jobs table (no Scan anywhere). */
    public static final class Dynamo {
        static final Set<String> READING = Set.of("dynamodb:GetItem");
        static final Set<String> UPDATING = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem");
        /** Ends jobs and admits the next: reads the queue index and counts. */
        static final Set<String> DISPATCHING = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query");
        /**
         * Dispatches with Scenario's credentials: the dry run that prices a waiting job's shape keeps the price in the book
         * (PutItem of a {@code #price#} item), else every dispatch would ask Scenario again until the sweep kept it.
         */
        static final Set<String> PRICING = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem");
        /** Creates jobs too. */
        static final Set<String> QUEUEING = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem");

        private Dynamo() {}
    }

    /** The generic step handler's class; the variable that tells it which step it runs. */
    public static final String STEP_HANDLER = "io.outpaint.handlers.StepHandler";
    public static final String STEP_VARIABLE = "OUTPAINT_STEP";

    /** The environment variables that only functions with a need receive; every other one all receive. */
    private static final Map<String, Need> GATED = Map.of(
            "SCENARIO_SECRET_ARN", Need.SCENARIO, "SCENARIO_API_KEY", Need.SCENARIO, "SCENARIO_API_SECRET", Need.SCENARIO,
            "STATE_MACHINE_ARN", Need.START_EXECUTIONS,
            "WEBHOOK_SECRET_ARN", Need.WEBHOOK_SECRET, "WEBHOOK_SECRET", Need.WEBHOOK_SECRET,
            "EVENT_BUS_NAME", Need.EVENTS,
            // the functions that admit jobs are those that start executions
            "BUDGET_CREATIVE_UNITS", Need.START_EXECUTIONS, "BUDGET_PERIOD", Need.START_EXECUTIONS);

    private final String id;
    private final String handler;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final Set<Need> needs;
    private final Set<String> dynamoActions;
    private final Asset asset;
    private final Function<PipelineServices, Step> step;

    PipelineFunction(String id, int memoryMb, int timeoutSeconds, Set<Need> needs, Set<String> dynamoActions,
                     Function<PipelineServices, Step> step) {
        this(id, STEP_HANDLER, memoryMb, timeoutSeconds, needs, dynamoActions, Asset.SHARED, step);
    }

    PipelineFunction(String id, int memoryMb, int timeoutSeconds, Set<Need> needs, Set<String> dynamoActions, Asset asset,
                     Function<PipelineServices, Step> step) {
        this(id, STEP_HANDLER, memoryMb, timeoutSeconds, needs, dynamoActions, asset, step);
    }

    PipelineFunction(String id, String handler, int memoryMb, int timeoutSeconds, Set<Need> needs, Set<String> dynamoActions) {
        this(id, handler, memoryMb, timeoutSeconds, needs, dynamoActions, Asset.SHARED, null);
    }

    PipelineFunction(String id, String handler, int memoryMb, int timeoutSeconds, Set<Need> needs, Set<String> dynamoActions,
                     Asset asset, Function<PipelineServices, Step> step) {
        this.id = id;
        this.asset = asset;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.needs = needs;
        this.dynamoActions = dynamoActions;
        this.step = step;
    }

    /** The name in the stack ({@code <id>Function}) and in the ASL's placeholders. */
    public String id() { return id; }
    public String handler() { return handler; }
    public int memoryMb() { return memoryMb; }
    public int timeoutSeconds() { return timeoutSeconds; }
    public Set<Need> needs() { return needs; }
    public boolean needs(Need need) { return needs.contains(need); }
    public Set<String> dynamoActions() { return dynamoActions; }
    /** The deployment asset this function's code is. */
    public Asset asset() { return asset; }

    /**
     * Whether the function publishes SnapStart versions: every one but the media ones, which need more than the 512 MiB
     * of /tmp SnapStart allows; their cold start (FFmpeg's natives extracted on the first clip) is small beside a finish.
     */
    public boolean snapStart() { return asset == Asset.SHARED; }

    /** Whether this function is a Task of the state machine. */
    public boolean isStep() { return step != null; }

    /** The ASL placeholder for this step's ARN, e.g. {@code SubmitFunctionArn}. */
    public Optional<String> placeholder() {
        return isStep() ? Optional.of(id + "FunctionArn") : Optional.empty();
    }

    /** The function's name in the local runtime, e.g. {@code outpaint-check-status}. */
    public String localName() {
        return "outpaint-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** This step over the given services. */
    public Step step(PipelineServices services) {
        if (step == null) {
            throw new IllegalStateException(id + " is not a step of the state machine");
        }
        return step.apply(services);
    }

    /** The environment of this function, from the variables every function could get. */
    public Map<String, String> environment(Map<String, String> all) {
        Map<String, String> own = new LinkedHashMap<>();
        all.forEach((name, value) -> {
            Need gate = GATED.get(name);
            if (gate == null || needs.contains(gate)) {
                own.put(name, value);
            }
        });
        if (isStep()) {
            own.put(STEP_VARIABLE, name());
        }
        return own;
    }

    /** The entry for a step named in the environment, as the generic handler reads it. */
    public static PipelineFunction fromEnvironment(Map<String, String> env) {
        String name = env.get(STEP_VARIABLE);
        try {
            PipelineFunction function = PipelineFunction.valueOf(String.valueOf(name));
            if (function.isStep()) {
                return function;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + STEP_VARIABLE + " must name a step (" + steps() + "), not " + name);
    }

    private static String steps() {
        return String.join(", ", java.util.Arrays.stream(values()).filter(PipelineFunction::isStep).map(Enum::name).toList());
    }
}
