#!/usr/bin/env python3
"""Creates the synthesized stack in moto (a local AWS emulator) and reads back the wiring that matters.

Usage: python3 infra/moto-check.py infra/cdk.out/Outpaint.template.json

It starts moto_server on a free local port, publishes the template and a stand-in for each file asset
(Outpaint.assets.json, next to the template) into the CDK bootstrap bucket's keys, creates the stack from
the template's URL and checks, through moto's own APIs: the functions (runtime, handler, environment
resolved to the created table, bucket, state machine and secret), their published versions, the state
machine's definition with its Task ARNs substituted, the EventBridge rules and their targets with DLQs,
the functions' invoke permissions and the stack's outputs. One line per check: OK, FAILED or skipped;
the exit status is non-zero if any check FAILED.

moto 5.2's CloudFormation skips a resource type it does not implement with only a warning, but then
drops every property that refers to such a resource (a Ref to it resolves to nothing), which fails the
resources that need those properties, and an output's GetAtt on it fails the CreateStack call; it runs no
custom resource without Docker, and it ignores a state machine's DefinitionSubstitutions. So the template is
pre-processed, without touching moto itself: resources moto does not implement are removed and each is
printed; a Ref to a removed Lambda alias stands in as what CloudFormation returns for it (the function's
ARN, ':', the alias name); any other Ref or GetAtt to a removed resource becomes the string
"arn:aws:moto-skipped:::<LogicalId>"; DependsOn and Outputs naming removed resources are dropped; and
DefinitionSubstitutions are applied to DefinitionString as CloudFormation applies them.
"""
import base64
import copy
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import zipfile

STARTED = time.time()
import boto3  # noqa: E402

REGION = "us-east-1"
STACK = "Outpaint"
PLACEHOLDER = "arn:aws:moto-skipped:::"  # ARN-shaped: moto validates the IAM policies that name them
results = []


def report(status, what, detail=""):
    results.append(status)
    print(f"{status:<8} {what}" + (f": {detail}" if detail else ""), flush=True)


# ---------------------------------------------------------------------------------------------------------
# the template, as moto can create it


def supported(rtype):
    from moto.cloudformation.parsing import NULL_MODELS, get_model_map  # only read: the types moto creates
    if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
        return False  # moto would invoke the provider's Lambda function, which needs Docker
    return rtype in get_model_map() or rtype in NULL_MODELS


def preprocess(template):
    t = copy.deepcopy(template)
    res = t["Resources"]
    removed = {k: r["Type"] for k, r in res.items() if not supported(r["Type"])}
    by_type = {}
    for k, ty in removed.items():
        by_type.setdefault(ty, []).append(k)
    for ty in sorted(by_type):
        what = f"custom resource {ty}, its provider function needs Docker" \
            if ty.startswith("Custom::") or ty == "AWS::CloudFormation::CustomResource" else f"moto lacks {ty}"
        print(f"skipped: {what} ({len(by_type[ty])}: {', '.join(sorted(by_type[ty]))})")
    for k in removed:
        del res[k]

    def stand_in(logical, attr=None):
        r = template["Resources"][logical]
        if r["Type"] == "AWS::Lambda::Alias" and attr is None:
            fn = r["Properties"]["FunctionName"]["Ref"]
            return {"Fn::Join": [":", [{"Fn::GetAtt": [fn, "Arn"]}, r["Properties"]["Name"]]]}
        return PLACEHOLDER + logical + ("." + attr if attr else "")

    def rewrite(node):
        if isinstance(node, list):
            return [rewrite(x) for x in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"} and node["Ref"] in removed:
            return stand_in(node["Ref"])
        if set(node) == {"Fn::GetAtt"}:
            logical, attr = (node["Fn::GetAtt"].split(".", 1) if isinstance(node["Fn::GetAtt"], str)
                             else node["Fn::GetAtt"])
            if logical in removed:
                return stand_in(logical, attr)
        if set(node) == {"Fn::Sub"}:
            body, values = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]

            def sub(m):
                name = m.group(1)
                logical, _, attr = name.partition(".")
                return PLACEHOLDER + name if logical in removed and name not in values else m.group(0)
            return {"Fn::Sub": [re.sub(r"\$\{([^!}][^}]*)\}", sub, body), rewrite(values)]} if values else \
                {"Fn::Sub": re.sub(r"\$\{([^!}][^}]*)\}", sub, body)}
        return {k: rewrite(v) for k, v in node.items()}

    on_alias = [k for k, r in res.items() if r["Type"] == "AWS::Lambda::Permission"
                and removed.get(r["Properties"]["FunctionName"].get("Ref")) == "AWS::Lambda::Alias"]
    for k in on_alias:  # moto finds no alias to add the statement to: it goes on the alias's function
        alias = template["Resources"][res[k]["Properties"]["FunctionName"]["Ref"]]
        res[k]["Properties"]["FunctionName"] = alias["Properties"]["FunctionName"]
    if on_alias:
        print(f"stand-in: {len(on_alias)} AWS::Lambda::Permission on skipped aliases are added to their functions")
    for r in res.values():
        if "DependsOn" in r:
            deps = [r["DependsOn"]] if isinstance(r["DependsOn"], str) else r["DependsOn"]
            r["DependsOn"] = [d for d in deps if d not in removed]
            if not r["DependsOn"]:
                del r["DependsOn"]
        if "Properties" in r:
            r["Properties"] = rewrite(r["Properties"])
        if r["Type"] == "AWS::StepFunctions::StateMachine" and "DefinitionSubstitutions" in r["Properties"] \
                and isinstance(r["Properties"].get("DefinitionString"), str):
            # moto ignores DefinitionSubstitutions: apply them as CloudFormation does, "${Key}" by its value
            p = r["Properties"]
            subs = p.pop("DefinitionSubstitutions")
            parts = re.split(r"\$\{([A-Za-z0-9_]+)\}", p["DefinitionString"])
            joined = [subs[x] if i % 2 and x in subs else ("${" + x + "}" if i % 2 else x)
                      for i, x in enumerate(parts)]
            p["DefinitionString"] = {"Fn::Join": ["", [x for x in joined if x != ""]]}
    refers = lambda node: any(f'"{k}"' in json.dumps(node) or PLACEHOLDER + k in json.dumps(node) for k in removed)
    for name in [o for o, v in t.get("Outputs", {}).items() if refers(v)]:
        print(f"skipped: output {name} (it names a skipped resource)")
        del t["Outputs"][name]
    return t, removed


# ---------------------------------------------------------------------------------------------------------
# moto_server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(log):
    port = free_port()
    return subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log), port


def wait_for(proc, port):
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("moto_server did not listen within 60 s")


# ---------------------------------------------------------------------------------------------------------


def main(template_path):
    log = tempfile.TemporaryFile()
    proc, port = start_moto(log)  # it loads while the template is prepared
    try:
        template = json.load(open(template_path))
        processed, removed = preprocess(template)
        kept_types = sorted({r["Type"] for r in processed["Resources"].values()})
        print(f"moto creates: {', '.join(kept_types)}")
        wait_for(proc, port)
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name=REGION)
        endpoint = f"http://127.0.0.1:{port}"
        aws = lambda service: session.client(service, endpoint_url=endpoint)
        run_checks(template, processed, removed, aws, template_path)
    except Exception as e:  # an answer the checks did not expect: say which, and fail
        report("FAILED", "checks", f"{type(e).__name__}: {e}")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if "FAILED" in results:
            log.seek(0)
            tail = log.read().decode(errors="replace").splitlines()[-20:]
            print("moto_server's last lines:\n  " + "\n  ".join(tail))
    print(f"moto check: {results.count('OK')} OK, {results.count('FAILED')} FAILED, "
          f"{results.count('skipped')} skipped, in {time.time() - STARTED:.1f} s")
    return 1 if "FAILED" in results else 0


def run_checks(template, processed, removed, aws, template_path):
    account = aws("sts").get_caller_identity()["Account"]
    s3, cfn, lam = aws("s3"), aws("cloudformation"), aws("lambda")

    # what `cdk deploy` finds or does first: the bootstrap version, the secret the operator made, the assets
    aws("ssm").put_parameter(Name=template["Parameters"]["BootstrapVersion"]["Default"], Value="30", Type="String")
    secret_arn = aws("secretsmanager").create_secret(Name="outpaint/scenario",
                                                     SecretString='{"apiKey":"k","apiSecret":"s"}')["ARN"]
    manifest_path = re.sub(r"\.template\.json$", ".assets.json", template_path)
    manifest = json.load(open(manifest_path))
    template_key, stand_ins = None, {}  # stand-in's CodeSha256 -> the object key it was published under
    for asset in manifest["files"].values():
        for dest in asset["destinations"].values():
            bucket = dest["bucketName"].replace("${AWS::AccountId}", account).replace("${AWS::Region}", REGION)
            if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
                s3.create_bucket(Bucket=bucket)
            if asset["source"]["path"] == os.path.basename(template_path):
                body, template_key = json.dumps(processed).encode(), (bucket, dest["objectKey"])
            else:  # moto runs no code: a small zip stands in for the asset, under the key the template names
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w") as z:
                    z.writestr("stand-in.txt", asset["source"]["path"])
                body = buf.getvalue()
                stand_ins[base64.b64encode(hashlib.sha256(body).digest()).decode()] = dest["objectKey"]
            s3.put_object(Bucket=bucket, Key=dest["objectKey"], Body=body)
    size = os.path.getsize(template_path)
    try:
        cfn.create_stack(StackName=STACK, TemplateURL=f"https://{template_key[0]}.s3.amazonaws.com/{template_key[1]}",
                         Parameters=[{"ParameterKey": "ScenarioSecretArn", "ParameterValue": secret_arn}],
                         Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
        for _ in range(100):
            stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
            if not stack["StackStatus"].endswith("IN_PROGRESS"):
                break
            time.sleep(0.2)
    except Exception as e:  # moto answers a template it cannot create with an error, not a failed stack
        report("FAILED", "stack created", f"{type(e).__name__}: {e}")
        return
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    physical = {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries}
    missing = sorted(set(processed["Resources"]) - set(physical))
    if stack["StackStatus"] != "CREATE_COMPLETE" or missing:
        report("FAILED", "stack created", f"{stack['StackStatus']}; not created: {', '.join(missing) or 'none'}")
        return
    report("OK", "stack created", f"{STACK} from a {size}-byte template by TemplateURL, "
           f"{len(physical)} resources CREATE_COMPLETE, {len(removed)} skipped")
    res = processed["Resources"]
    of_type = lambda ty: [k for k, r in res.items() if r["Type"] == ty]

    # ---- the created things, read back from moto
    [table] = [physical[k] for k in of_type("AWS::DynamoDB::Table")]
    aws("dynamodb").describe_table(TableName=table)
    [bucket] = [physical[k] for k in of_type("AWS::S3::Bucket")]
    s3.head_bucket(Bucket=bucket)
    sfn = aws("stepfunctions")
    [sm_arn] = [physical[k] for k in of_type("AWS::StepFunctions::StateMachine")]
    sm = sfn.describe_state_machine(stateMachineArn=sm_arn)
    queues = {}
    for k in of_type("AWS::SQS::Queue"):
        attrs = aws("sqs").get_queue_attributes(QueueUrl=physical[k], AttributeNames=["QueueArn"])["Attributes"]
        queues[attrs["QueueArn"]] = k
    secrets = {s["ARN"] for s in aws("secretsmanager").list_secrets()["SecretList"]}

    # ---- functions: the project's own are those whose code is a file asset (not inline code)
    functions = {}  # logical id -> get_function's answer
    for k in of_type("AWS::Lambda::Function"):
        if "S3Key" in res[k]["Properties"].get("Code", {}):
            functions[k] = lam.get_function(FunctionName=physical[k])
    known = {"TABLE_NAME": table, "BUCKET_NAME": bucket, "STATE_MACHINE_ARN": sm_arn,
             "SCENARIO_SECRET_ARN": secret_arn}
    for k, f in sorted(functions.items()):
        c = f["Configuration"]
        env = {n: str(v) for n, v in c.get("Environment", {}).get("Variables", {}).items()}  # moto keeps Numbers
        given = template["Resources"][k]["Properties"].get("Environment", {}).get("Variables", {})
        wanted = set(given)
        problems = []
        if c["Runtime"] != "java21":
            problems.append(f"runtime {c['Runtime']}")
        if not re.fullmatch(r"io\.outpaint\.handlers\.[A-Za-z]+Handler", c["Handler"]):
            problems.append(f"handler {c['Handler']}")
        if set(env) != wanted:
            problems.append(f"environment lost {sorted(wanted - set(env))}, gained {sorted(set(env) - wanted)}")
        for name, value in known.items():
            if name in env and env[name] != value:
                problems.append(f"{name}={env[name]}, not {value}")
        for name, value in env.items():
            if isinstance(given.get(name), str) and value != given[name]:
                problems.append(f"{name}={value}, the template says {given[name]}")
            if name.endswith("_SECRET_ARN") and value not in secrets and not value.startswith(PLACEHOLDER):
                problems.append(f"{name}={value} names no secret")
            if "${" in value or value == "None":
                problems.append(f"{name}={value} unresolved")
        skipped = sorted(n for n, v in env.items() if v.startswith(PLACEHOLDER))
        name = f"function {k} ({c['Handler'].rsplit('.', 1)[-1]}" + \
               (f", {env['OUTPAINT_STEP']})" if "OUTPAINT_STEP" in env else ")")
        if problems:
            report("FAILED", name, "; ".join(problems))
        else:
            report("OK", name, f"java21, {len(env)} variables; "
                   + ", ".join(n for n in known if n in env) + " name the created ones"
                   + (f"; {', '.join(skipped)} a skipped resource's stand-in" if skipped else ""))
    bad = [k for k, f in functions.items() if f["Configuration"].get("CodeSha256") not in stand_ins
           or not f["Code"]["Location"].endswith("/" + stand_ins[f["Configuration"]["CodeSha256"]])]
    report("FAILED" if bad or not functions else "OK", "functions' code",
           f"not the object the assets manifest publishes: {', '.join(sorted(bad))}" if bad else
           f"the {len(functions)} functions' code is the object the assets manifest publishes "
           f"({', '.join(sorted(set(stand_ins.values())))}, read by moto from S3)")

    versions = {k: [v["Version"] for v in lam.list_versions_by_function(FunctionName=physical[k])["Versions"]
                    if v["Version"] != "$LATEST"] for k in functions}
    unversioned = [k for k, v in versions.items() if not v]
    report("FAILED" if unversioned else "OK", "published versions",
           f"unversioned: {unversioned}" if unversioned else f"each of the {len(functions)} functions has version "
           + "/".join(sorted({v for vs in versions.values() for v in vs})))
    aliases = {k: r["Properties"]["Name"] for k, r in template["Resources"].items() if r["Type"] == "AWS::Lambda::Alias"}
    if any(ty == "AWS::Lambda::Alias" for ty in removed.values()):
        report("skipped", "aliases", f"moto lacks AWS::Lambda::Alias; the {len(aliases)} aliases "
               f"({'/'.join(sorted(set(aliases.values())))}) stand in as <function ARN>:<name> where referenced")
    else:
        for k, name in aliases.items():
            fn = template["Resources"][k]["Properties"]["FunctionName"]["Ref"]
            a = lam.get_alias(FunctionName=physical[fn], Name=name)
            report("OK", f"alias {k}", f"{name} -> version {a['FunctionVersion']}")
    alias_of = {c["Configuration"]["FunctionArn"] + ":" + aliases_name: k
                for k, c in functions.items() for aliases_name in set(aliases.values())}

    # ---- the state machine's definition, as moto holds it
    definition = sm["definition"]
    tasks = {}

    def walk(states):
        for n, s in states.items():
            if s["Type"] == "Task":
                tasks[n] = s["Resource"]
            for b in s.get("Branches", []):
                walk(b["States"])
            for inner in ("Iterator", "ItemProcessor"):
                if inner in s:
                    walk(s[inner]["States"])
    walk(json.loads(definition)["States"])
    problems, wiring = [], []
    if "${" in definition:
        problems.append("unsubstituted: " + ", ".join(sorted(set(re.findall(r"\$\{[^}]*\}", definition)))))
    for state, arn in tasks.items():
        k = alias_of.get(arn)
        if k is None:
            problems.append(f"{state} -> {arn}, not a created function's alias")
            continue
        step = functions[k]["Configuration"].get("Environment", {}).get("Variables", {}).get("OUTPAINT_STEP", "")
        camel = "".join(w.capitalize() for w in step.split("_"))
        if not camel or not state.startswith(camel):
            problems.append(f"{state} -> {k}, whose OUTPAINT_STEP is {step or 'unset'}")
        wiring.append(f"{state}->{step}")
    roles = {r["Arn"] for r in aws("iam").list_roles()["Roles"]}
    if sm["roleArn"] not in roles:
        problems.append(f"role {sm['roleArn']} not created")
    report("FAILED" if problems or not tasks else "OK", f"state machine {sm['name']}",
           "; ".join(problems) if problems else
           f"{len(tasks)} Tasks on <created function ARN>:live ({', '.join(wiring)}), no ${{ left, role created")

    # ---- the HTTP API
    api_types = sorted({ty for ty in removed.values() if ty.startswith("AWS::ApiGatewayV2::")})
    if api_types:
        n = sum(1 for ty in removed.values() if ty == "AWS::ApiGatewayV2::Route")
        report("skipped", "HTTP API routes, authorizers and integrations",
               f"moto's CloudFormation lacks {', '.join(api_types)} ({n} routes not created)")
    else:
        apigw = aws("apigatewayv2")
        for api in apigw.get_apis()["Items"]:
            integrations = {i["IntegrationId"]: i for i in apigw.get_integrations(ApiId=api["ApiId"])["Items"]}
            for route in apigw.get_routes(ApiId=api["ApiId"])["Items"]:
                target = integrations.get(route.get("Target", "").removeprefix("integrations/"), {})
                k = alias_of.get(target.get("IntegrationUri"))
                ok = route.get("AuthorizationType") == "AWS_IAM" and k and \
                    functions[k]["Configuration"]["Handler"].endswith(".ApiHandler")
                report("OK" if ok else "FAILED", f"route {route['RouteKey']}",
                       f"{route.get('AuthorizationType')} -> {target.get('IntegrationUri')}")

    # ---- EventBridge rules and their targets, as moto holds them
    events = aws("events")
    for k in of_type("AWS::Events::Rule"):
        rule = events.describe_rule(Name=physical[k])
        targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        problems, said = [], []
        if rule.get("State") != "ENABLED":
            problems.append(f"state {rule.get('State')}")
        if "EventPattern" in rule:
            p = json.loads(rule["EventPattern"])
            if p.get("source") != ["aws.states"] or p.get("detail-type") != ["Step Functions Execution Status Change"]:
                problems.append(f"pattern {p}")
            if p.get("detail", {}).get("stateMachineArn") != [sm_arn]:
                problems.append(f"stateMachineArn {p.get('detail', {}).get('stateMachineArn')}, not {sm_arn}")
            said.append("status change of " + sm["name"] + " in " + "/".join(p.get("detail", {}).get("status", [])))
        elif rule.get("ScheduleExpression"):
            said.append(rule["ScheduleExpression"])
        else:
            problems.append("neither a pattern nor a schedule")
        if not targets:
            problems.append("no target")
        for tgt in targets:
            f = alias_of.get(tgt["Arn"])
            dlq = tgt.get("DeadLetterConfig", {}).get("Arn")
            if f is None:
                problems.append(f"target {tgt['Arn']} is not a created function's alias")
            if dlq not in queues:
                problems.append(f"target {tgt['Id']}'s dead-letter queue {dlq} not created")
            if f:
                said.append(f"-> {functions[f]['Configuration']['Handler'].rsplit('.', 1)[-1]}:live, DLQ {queues.get(dlq)}"
                            + (f", {tgt['RetryPolicy']['MaximumRetryAttempts']} retries" if "RetryPolicy" in tgt else ""))
        report("FAILED" if problems else "OK", f"rule {k}", "; ".join(problems or said))

    # ---- who may invoke the functions: the permissions moto recorded on them
    perms = of_type("AWS::Lambda::Permission")
    problems, said, count = [], {}, 0
    rule_arns = {events.describe_rule(Name=physical[k])["Arn"]: k for k in of_type("AWS::Events::Rule")}
    for k, c in functions.items():
        try:
            policy = json.loads(lam.get_policy(FunctionName=physical[k])["Policy"])
        except lam.exceptions.ResourceNotFoundException:
            continue
        count += len(policy["Statement"])
        for st in policy["Statement"]:
            principal = st["Principal"]["Service"] if isinstance(st["Principal"], dict) else st["Principal"]
            source = st.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn", "")
            if principal == "events.amazonaws.com" and source not in rule_arns:
                problems.append(f"{k}: events from {source}, not a created rule")
            if principal == "s3.amazonaws.com" and source != f"arn:aws:s3:::{bucket}":
                problems.append(f"{k}: S3 from {source}, not the bucket")
            said.setdefault(principal.split(".")[0], set()).add(c["Configuration"]["Handler"].rsplit(".", 1)[-1])
    if count != len(perms):
        problems.append(f"{count} statements for {len(perms)} AWS::Lambda::Permission resources")
    report("FAILED" if problems else "OK", "invoke permissions", "; ".join(problems) if problems else
           f"{count} statements: " + "; ".join(f"{p} -> {', '.join(sorted(h))}" for p, h in sorted(said.items())))

    # ---- what moto cannot show
    if "Custom::S3BucketNotifications" in removed.values():
        report("skipped", "bucket notification to the upload trigger",
               "Custom::S3BucketNotifications needs its provider function run (Docker); "
               "the s3.amazonaws.com invoke permission is checked above")
    else:
        conf = s3.get_bucket_notification_configuration(Bucket=bucket).get("LambdaFunctionConfigurations", [])
        ok = any(alias_of.get(c["LambdaFunctionArn"]) for c in conf)
        report("OK" if ok else "FAILED", "bucket notification", json.dumps(conf))
    if "AWS::Lambda::EventInvokeConfig" in removed.values():
        report("skipped", "asynchronous invocations' on-failure destinations",
               "moto's CloudFormation lacks AWS::Lambda::EventInvokeConfig")

    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=STACK)["Stacks"][0].get("Outputs", [])}
    expected = {"TableName": table, "BucketName": bucket, "StateMachineArn": sm_arn}
    wrong = {k: v for k, v in outputs.items() if k in expected and v != expected[k]}
    report("FAILED" if wrong or set(expected) - set(outputs) else "OK", "outputs",
           f"wrong: {wrong}, missing: {sorted(set(expected) - set(outputs))}" if wrong or set(expected) - set(outputs)
           else ", ".join(f"{k}={v}" for k, v in sorted(outputs.items())))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    sys.exit(main(sys.argv[1]))
