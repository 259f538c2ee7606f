// Serves the Step Functions API (AWS JSON 1.0) on a loopback port and runs each execution with
// aws-local-stepfunctions, which invokes Lambda through the AWS SDK (AWS_ENDPOINT_URL_LAMBDA).
// Started by the Java local runtime; prints "LISTENING <port>" once it accepts requests.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks; without it every
// Task fails and a Catch can hide the failure.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { StateMachine, ExecutionError, ExecutionTimeoutError } = await import('aws-local-stepfunctions');

const REGION = process.env.AWS_REGION || 'us-east-1';
const ACCOUNT = '000000000000';
const stateMachines = new Map(); // arn -> machine
const executions = new Map(); // arn -> execution
// time control: scale static waits and retry intervals; dynamic waits (SecondsPath...) get a fixed time
const time = { scale: Number(process.env.SFN_TIME_SCALE ?? 1), dynamicWaitMillis: Number(process.env.SFN_DYNAMIC_WAIT_MILLIS ?? 0) };

class ApiError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

const iso = (ms) => new Date(ms).toISOString();
const epoch = (ms) => ms / 1000;

function required(body, field) {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    throw new ApiError('ValidationException', `${field} is required`);
  }
  return value;
}

function machineOf(arn) {
  const machine = stateMachines.get(arn);
  if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

function executionOf(arn) {
  const execution = executions.get(arn);
  if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return execution;
}

function parseDefinition(text) {
  let definition;
  try {
    definition = JSON.parse(text);
    // validates the definition the way the engine will run it
    new StateMachine(definition, { validationOptions: { checkArn: false } });
  } catch (e) {
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${e.message}'`);
  }
  return definition;
}

function overridesFor(definition) {
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  const taskResourceLocalHandlers = {};
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.startsWith('arn:aws:lambda:')) {
      taskResourceLocalHandlers[name] = lambdaTask(state.Resource);
    }
    if (time.scale === 1) continue;
    if (state.Type === 'Wait') {
      waitTimeOverrides[name] = state.Seconds !== undefined ? state.Seconds * 1000 * time.scale : time.dynamicWaitMillis;
    }
    if (Array.isArray(state.Retry)) {
      retryIntervalOverrides[name] = state.Retry.map((r) => (r.IntervalSeconds ?? 1) * 1000 * time.scale);
    }
  }
  return { waitTimeOverrides, retryIntervalOverrides, taskResourceLocalHandlers };
}

// A Lambda Task as Step Functions runs it: a handler's exception is named by its errorType and its
// Cause is the function's error JSON; a function that crashed (timed out, ran out of memory: no
// errorType of its own) is Lambda.Unknown; Lambda's own refusals are Lambda.<error code>.
const CRASHES = new Set(['Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory', 'Runtime.Unknown']);
function lambdaTask(resource) {
  const fn = resource.split(':function:')[1]?.split(':')[0] ?? resource;
  const url = `${process.env.AWS_ENDPOINT_URL_LAMBDA}/2015-03-31/functions/${encodeURIComponent(fn)}/invocations`;
  const failure = (name, cause) => Object.assign(new Error(cause), { name });
  return async (input) => {
    let answer;
    try {
      answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input ?? null) });
    } catch (e) {
      throw failure('Lambda.SdkClientException', `Lambda could not be reached: ${e.message}`);
    }
    const text = await answer.text();
    if (answer.status >= 300) {
      const code = answer.headers.get('x-amzn-errortype') ?? (answer.status === 429 ? 'TooManyRequestsException' : 'ServiceException');
      throw failure(`Lambda.${code.split(':')[0]}`, text);
    }
    const payload = text ? JSON.parse(text) : null;
    if (answer.headers.get('x-amz-function-error')) {
      const type = payload?.errorType;
      throw failure(!type || CRASHES.has(type) ? 'Lambda.Unknown' : type, text);
    }
    return payload;
  };
}

// AWS history event names for the engine's events
function historyEvents(execution, event) {
  const state = event.state;
  const type = state ? state.type : undefined;
  const lambda = type === 'Task' && typeof execution.definition.States[state.name]?.Resource === 'string'
    && execution.definition.States[state.name].Resource.startsWith('arn:aws:lambda:');
  const resource = lambda ? execution.definition.States[state.name].Resource : undefined;
  const json = (v) => JSON.stringify(v ?? null);
  switch (event.type) {
    case 'ExecutionStarted':
      return [{ type: 'ExecutionStarted', executionStartedEventDetails: { input: json(event.input), roleArn: execution.roleArn } }];
    case 'ExecutionSucceeded':
      return [{ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(event.output) } }];
    case 'ExecutionFailed':
      return [{ type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? '') } }];
    case 'ExecutionAborted':
      return [{ type: 'ExecutionAborted', executionAbortedEventDetails: {} }];
    case 'ExecutionTimeout':
      return [{ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } }];
    case 'StateEntered': {
      const entered = { type: `${type}StateEntered`, stateEnteredEventDetails: { name: state.name, input: json(state.input) } };
      return lambda ? [entered, ...lambdaStart(resource, state.input)] : [entered];
    }
    case 'StateExited': {
      const exited = { type: `${type}StateExited`, stateExitedEventDetails: { name: state.name, output: json(state.output) } };
      return lambda ? [{ type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: { output: json(state.output) } }, exited] : [exited];
    }
    case 'StateFailed': {
      // as Step Functions records it: a Lambda's error payload as JSON text, never "[object Object]"
      const c = event.Cause;
      const cause = c == null ? '' : typeof c === 'string' ? c : c instanceof Error ? c.message : JSON.stringify(c);
      return [lambda
        ? { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: { error: event.Error, cause } }
        : { type: `${type}StateFailed`, stateFailedEventDetails: { name: state.name, error: event.Error, cause } }];
    }
    case 'StateRetried':
      return lambda ? lambdaStart(resource, state.input) : [];
    case 'StateCaught':
      return [{ type: `${type}StateExited`, stateExitedEventDetails: { name: state.name, output: json(state.output) } }];
    default:
      return [];
  }
}

function lambdaStart(resource, input) {
  return [
    { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource, input: JSON.stringify(input ?? null) } },
    { type: 'LambdaFunctionStarted' },
  ];
}

function record(execution, event) {
  for (const entry of historyEvents(execution, event)) {
    const id = execution.history.length + 1;
    execution.history.push({ timestamp: epoch(event.timestamp ?? Date.now()), id, previousEventId: id - 1, ...entry });
  }
}

function start(machine, name, inputText) {
  const arn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${name}`;
  const existing = executions.get(arn);
  if (existing) {
    if (existing.status === 'RUNNING' && existing.inputText === inputText) {
      return existing; // the same call repeated: the running execution, as AWS Standard answers
    }
    throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  let input;
  try {
    input = JSON.parse(inputText);
  } catch (e) {
    throw new ApiError('InvalidExecutionInput', `Invalid execution input: ${e.message}`);
  }
  const startDate = Date.now();
  const execution = {
    arn, name, machine, definition: machine.definition, roleArn: machine.roleArn, inputText,
    status: 'RUNNING', startDate, stopDate: undefined, output: undefined, error: undefined, cause: undefined, history: [],
  };
  executions.set(arn, execution);
  const engine = new StateMachine(machine.definition, {
    // validated once when created or updated (parseDefinition): validating again blocked the one event loop ~70 ms a start
    validationOptions: { noValidate: true },
    awsConfig: { region: REGION, credentials: { accessKeys: { accessKeyId: 'local', secretAccessKey: 'local' } } },
  });
  const run = engine.run(input, {
    overrides: overridesFor(machine.definition),
    context: {
      Execution: { Id: arn, Name: name, StartTime: iso(startDate), Input: input, RoleArn: machine.roleArn },
      StateMachine: { Id: machine.arn, Name: machine.name },
    },
  });
  execution.abort = run.abort;
  const drained = (async () => {
    for await (const event of run.eventLogs) record(execution, event);
  })().catch((e) => console.error(`event log of ${arn} failed: ${e.message}`));
  // the status changes only once the history holds every event, so a reader never sees a
  // finished execution with a partial history
  Promise.allSettled([run.result, drained]).then(([outcome]) => {
    if (execution.status === 'ABORTED') return;
    if (outcome.status === 'fulfilled') return finish(execution, 'SUCCEEDED', { output: outcome.value });
    const error = outcome.reason;
    if (error instanceof ExecutionTimeoutError) finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: error.message });
    else if (error instanceof ExecutionError) finish(execution, 'FAILED', { error: error.cause?.name ?? error.name, cause: error.cause?.message ?? error.message });
    else finish(execution, 'FAILED', { error: error?.name ?? 'States.Runtime', cause: error?.message });
  });
  return execution;
}

function finish(execution, status, { output, error, cause }) {
  if (execution.status !== 'RUNNING') return;
  execution.status = status;
  execution.stopDate = Date.now();
  execution.output = output === undefined ? undefined : JSON.stringify(output);
  execution.error = error;
  execution.cause = cause;
  statusChanged(execution);
}

// Step Functions' "Execution Status Change" events, as an EventBridge rule matching FAILED,
// TIMED_OUT and ABORTED delivers them: to the Lambda function SFN_STATUS_CHANGE_FUNCTION, asynchronously
const STATUS_EVENTS = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
function statusChanged(execution) {
  const target = process.env.SFN_STATUS_CHANGE_FUNCTION;
  if (!target || !STATUS_EVENTS.has(execution.status)) return;
  const event = {
    version: '0', id: randomUUID(), 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states',
    account: ACCOUNT, time: iso(execution.stopDate), region: REGION, resources: [execution.arn],
    detail: {
      executionArn: execution.arn, stateMachineArn: execution.machine.arn, name: execution.name, status: execution.status,
      startDate: execution.startDate, stopDate: execution.stopDate, input: execution.inputText,
      error: execution.error ?? null, cause: execution.cause ?? null,
    },
  };
  const url = `${process.env.AWS_ENDPOINT_URL_LAMBDA}/2015-03-31/functions/${encodeURIComponent(target)}/invocations`;
  fetch(url, { method: 'POST', headers: { 'X-Amz-Invocation-Type': 'Event', 'Content-Type': 'application/json' }, body: JSON.stringify(event) })
    .then((r) => { if (r.status >= 300) console.error(`status-change event for ${execution.arn}: HTTP ${r.status}`); })
    .catch((e) => console.error(`status-change event for ${execution.arn} not delivered: ${e.message}`));
}

function describe(execution) {
  const answer = {
    executionArn: execution.arn, stateMachineArn: execution.machine.arn, name: execution.name,
    status: execution.status, startDate: epoch(execution.startDate), input: execution.inputText,
    inputDetails: { included: true },
  };
  if (execution.stopDate) answer.stopDate = epoch(execution.stopDate);
  if (execution.output !== undefined) {
    answer.output = execution.output;
    answer.outputDetails = { included: true };
  }
  if (execution.error !== undefined) {
    answer.error = execution.error;
    answer.cause = execution.cause;
  }
  return answer;
}

function page(items, body) {
  const max = Math.min(Number(body.maxResults) || 100, 1000);
  const from = body.nextToken ? Number(Buffer.from(body.nextToken, 'base64url').toString()) : 0;
  const slice = items.slice(from, from + max);
  const next = from + max < items.length ? Buffer.from(String(from + max)).toString('base64url') : undefined;
  return { slice, next };
}

const actions = {
  CreateStateMachine(body) {
    const name = required(body, 'name');
    const definitionText = required(body, 'definition');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const definition = parseDefinition(definitionText);
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    const existing = stateMachines.get(arn);
    if (existing) {
      if (existing.definitionText === definitionText) return { stateMachineArn: arn, creationDate: epoch(existing.creationDate) };
      throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const machine = {
      arn, name, definition, definitionText, roleArn: body.roleArn ?? `arn:aws:iam::${ACCOUNT}:role/local`,
      type: body.type ?? 'STANDARD', creationDate: Date.now(),
    };
    stateMachines.set(arn, machine);
    return { stateMachineArn: arn, creationDate: epoch(machine.creationDate) };
  },
  UpdateStateMachine(body) {
    const machine = machineOf(required(body, 'stateMachineArn'));
    if (body.definition) {
      machine.definition = parseDefinition(body.definition);
      machine.definitionText = body.definition;
    }
    if (body.roleArn) machine.roleArn = body.roleArn;
    return { updateDate: epoch(Date.now()) };
  },
  DeleteStateMachine(body) {
    stateMachines.delete(required(body, 'stateMachineArn'));
    return {};
  },
  DescribeStateMachine(body) {
    const m = machineOf(required(body, 'stateMachineArn'));
    return { stateMachineArn: m.arn, name: m.name, status: 'ACTIVE', definition: m.definitionText, roleArn: m.roleArn, type: m.type, creationDate: epoch(m.creationDate) };
  },
  ListStateMachines(body) {
    const all = [...stateMachines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: epoch(m.creationDate) }));
    const { slice, next } = page(all, body);
    return { stateMachines: slice, nextToken: next };
  },
  StartExecution(body) {
    const machine = machineOf(required(body, 'stateMachineArn'));
    const name = body.name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const execution = start(machine, name, body.input ?? '{}');
    return { executionArn: execution.arn, startDate: epoch(execution.startDate) };
  },
  DescribeExecution(body) {
    return describe(executionOf(required(body, 'executionArn')));
  },
  StopExecution(body) {
    const execution = executionOf(required(body, 'executionArn'));
    if (execution.status === 'RUNNING') {
      execution.status = 'ABORTED';
      execution.stopDate = Date.now();
      execution.error = body.error;
      execution.cause = body.cause;
      execution.abort();
      record(execution, { type: 'ExecutionAborted', timestamp: execution.stopDate });
      statusChanged(execution);
    }
    return { stopDate: epoch(execution.stopDate) };
  },
  ListExecutions(body) {
    const machineArn = required(body, 'stateMachineArn');
    machineOf(machineArn);
    const all = [...executions.values()]
      .filter((e) => e.machine.arn === machineArn && (!body.statusFilter || e.status === body.statusFilter))
      .sort((a, b) => b.startDate - a.startDate)
      .map((e) => ({ executionArn: e.arn, stateMachineArn: machineArn, name: e.name, status: e.status, startDate: epoch(e.startDate), stopDate: e.stopDate ? epoch(e.stopDate) : undefined }));
    const { slice, next } = page(all, body);
    return { executions: slice, nextToken: next };
  },
  GetExecutionHistory(body) {
    const execution = executionOf(required(body, 'executionArn'));
    const events = body.reverseOrder ? [...execution.history].reverse() : execution.history;
    const { slice, next } = page(events, body);
    return { events: slice, nextToken: next };
  },
};

function control(url, body) {
  if (url === '/_control/time') {
    if (body.scale !== undefined) time.scale = Number(body.scale);
    if (body.dynamicWaitMillis !== undefined) time.dynamicWaitMillis = Number(body.dynamicWaitMillis);
    return time;
  }
  throw new ApiError('UnknownOperationException', `no control ${url}`, 404);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reply = (status, payload, errorType) => {
      const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() };
      if (errorType) headers['x-amzn-ErrorType'] = errorType;
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
    };
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : {};
      if (req.url.startsWith('/_control/')) return reply(200, control(req.url, body));
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = actions[target.replace(/^AWSStepFunctions\./, '')];
      if (req.method !== 'POST' || !action) {
        throw new ApiError('UnknownOperationException', `Unsupported operation ${target || req.method + ' ' + req.url}`);
      }
      reply(200, action(body));
    } catch (e) {
      const type = e instanceof ApiError ? e.type : 'InternalFailure';
      reply(e instanceof ApiError ? e.status : 500, { __type: type, message: e.message }, type);
    }
  });
});

server.listen(Number(process.env.SFN_PORT ?? 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
// the Java runtime holds this process's stdin: when it ends (even killed outright), so does the sidecar
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
