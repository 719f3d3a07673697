#!/usr/bin/env python3
"""botocore's side of `cargo xtask differential`.

Reads cases (JSON lines `{"id", "operation", "params"}`, params in the Smithy protocol tests'
convention: timestamps as epoch seconds, blobs as UTF-8 text, "NaN"/"Infinity" floats) and
writes, per case, the request botocore would send: `{"id", "method", "url", "headers",
"body_hex"}`, or `{"id", "error"}` (`"kind": "model"` when botocore's service definition lacks
a member or an operation the Smithy model has).

botocore's path, as its clients take it: the idempotency-token handler, the protocol's
serializer without validation, `prepare_request_dict` (host prefix, URL) and the prepared
AWSRequest (form-encoded query bodies). Signing and the other send-time handlers are left out,
as on our side.

With a sixth argument `response` it is the response phase's side instead: it reads raw
responses (`{"id", "operation", "status", "headers", "body_hex"}`), parses each with
botocore's response parser for the protocol (`botocore.parsers.create_parser`, the operation's
output shape, a streaming body as botocore's endpoint wraps it) and writes the parsed value as
canonical JSON, `{"id", "output"}` (a modelled error as its members plus `"$error"`: the
code), or `{"id", "error"}`: member names as keys, timestamps as epoch milliseconds, blobs as
base64, non-finite floats as "NaN" / "Infinity" / "-Infinity", big numbers as text,
botocore's `ResponseMetadata` left out.

Usage: botocore_side.py PROTOCOL SDK_ID CANDIDATE_NAMES CASES_FILE OUT_FILE [response]
"""

import base64
import datetime
import io
import json
import math
import sys
import uuid

import botocore.awsrequest
import botocore.handlers
import botocore.parsers
import botocore.response
import botocore.serialize
import botocore.session

# The token our side pins when an idempotency token member is left unset (smithy_runtime's
# protocol_test::TEST_IDEMPOTENCY_TOKEN).
FIXED_TOKEN = "00000000-0000-4000-8000-000000000000"

PROTOCOLS = {
    "restJson1": "rest-json",
    "awsJson1_0": "json",
    "awsJson1_1": "json",
    "restXml": "rest-xml",
    "awsQuery": "query",
    "ec2Query": "ec2",
}

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class ModelMismatch(Exception):
    """botocore's definition of the service differs from the Smithy model."""


def find_service(session, sdk_id, candidates):
    """The botocore service model whose serviceId is the Smithy service's sdkId."""
    tried = set()
    names = [c for c in candidates if c] + session.get_available_services()
    for name in names:
        if name in tried:
            continue
        tried.add(name)
        try:
            model = session.get_service_model(name)
        except Exception:
            continue
        if model.metadata.get("serviceId", "").lower() == sdk_id.lower():
            return model
    return None


def convert(value, shape, path):
    """A params value of the protocol tests' convention as botocore takes it."""
    kind = shape.type_name
    if getattr(shape, "is_document_type", False):
        # botocore models a Smithy document as a structure marked `document`.
        return value
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                raise ModelMismatch(f"botocore's {shape.name} has no member {key} ({path})")
            out[key] = convert(item, member, f"{path}.{key}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise ModelMismatch(f"botocore's {shape.name} is a list, the Smithy model's is not ({path})")
        return [convert(v, shape.member, f"{path}[]") for v in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise ModelMismatch(f"botocore's {shape.name} is a map, the Smithy model's is not ({path})")
        return {k: convert(v, shape.value, f"{path}{{}}") for k, v in value.items()}
    if kind == "timestamp":
        return EPOCH + datetime.timedelta(milliseconds=round(value * 1000))
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else value
    if kind in ("float", "double") and isinstance(value, str):
        return float(value.replace("Infinity", "inf"))
    return value


def serialize(serializer, operation, params):
    """The prepared request botocore would send for one case."""
    botocore.handlers.generate_idempotent_uuid(params, operation)
    request_dict = serializer.serialize_to_request(params, operation)
    botocore.awsrequest.prepare_request_dict(request_dict, endpoint_url="https://example.com")
    prepared = botocore.awsrequest.create_request_object(request_dict).prepare()
    body = prepared.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif hasattr(body, "read"):
        body = body.read()
    return {
        "method": prepared.method,
        "url": prepared.url,
        "headers": [[k, v if isinstance(v, str) else v.decode("utf-8", "replace")]
                    for k, v in prepared.headers.items()],
        "body_hex": bytes(body).hex(),
    }


def main():
    protocol, sdk_id, candidates, cases_file, out_file = sys.argv[1:6]
    # The handler draws uuid4(); pinning it gives the token our side pins.
    uuid.uuid4 = lambda: uuid.UUID(FIXED_TOKEN)
    session = botocore.session.get_session()
    model = find_service(session, sdk_id, candidates.split(","))
    with open(out_file, "w", encoding="utf-8") as out:
        if model is None:
            out.write(json.dumps({"service_error": f"botocore has no service with serviceId {sdk_id!r}"}) + "\n")
            return
        wanted = PROTOCOLS[protocol]
        protocols = model.metadata.get("protocols") or [model.metadata.get("protocol")]
        header = {"service": model.service_name, "api_version": model.api_version,
                  "protocols": protocols}
        if wanted not in protocols:
            header["service_error"] = f"botocore's {model.service_name} speaks {protocols}, not {wanted}"
            out.write(json.dumps(header) + "\n")
            return
        out.write(json.dumps(header) + "\n")
        if len(sys.argv) > 6 and sys.argv[6] == "response":
            with open(cases_file, encoding="utf-8") as cases:
                for line in cases:
                    case = json.loads(line)
                    out.write(json.dumps(parse_case(wanted, model, case)) + "\n")
            return
        serializer = botocore.serialize.create_serializer(wanted, include_validation=False)
        with open(cases_file, encoding="utf-8") as cases:
            for line in cases:
                case = json.loads(line)
                out.write(json.dumps(run_case(serializer, model, case)) + "\n")


def run_case(serializer, model, case):
    """One case's line."""
    result = {"id": case["id"]}
    try:
        operation = model.operation_model(case["operation"])
    except Exception:
        result.update(error=f"botocore has no operation {case['operation']}", kind="model")
        return result
    try:
        params = convert(case["params"], operation.input_shape, case["operation"]) \
            if operation.input_shape is not None else {}
        result.update(serialize(serializer, operation, params))
    except ModelMismatch as e:
        result.update(error=str(e), kind="model")
    except Exception as e:  # a botocore failure is a result to compare, not a crash
        result.update(error=f"{type(e).__name__}: {e}", kind="botocore")
    return result


def canonical(value, shape):
    """A value botocore parsed, in the response phase's canonical JSON."""
    if shape is None:
        return value
    kind = shape.type_name
    if getattr(shape, "is_document_type", False):
        return value
    if kind == "structure" and isinstance(value, dict):
        return {k: canonical(v, shape.members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [canonical(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: canonical(v, shape.value) for k, v in value.items()}
    if kind == "timestamp" and isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        delta = value - EPOCH
        return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
    if kind == "blob":
        if hasattr(value, "read"):
            value = value.read()
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
    if kind in ("float", "double") and isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
    if kind in ("bigdecimal", "biginteger") and not isinstance(value, str):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def parse_case(protocol, model, case):
    """One response case's line."""
    result = {"id": case["id"]}
    try:
        operation = model.operation_model(case["operation"])
    except Exception:
        result.update(error=f"botocore has no operation {case['operation']}", kind="model")
        return result
    try:
        headers = botocore.awsrequest.HeadersDict()
        for name, value in case["headers"]:
            headers[name] = value
        body = bytes.fromhex(case["body_hex"])
        response = {"status_code": case["status"], "headers": headers, "body": body,
                    "context": {"operation_name": operation.name}}
        if operation.has_streaming_output and case["status"] < 300:
            response["body"] = botocore.response.StreamingBody(io.BytesIO(body), len(body))
        parser = botocore.parsers.create_parser(protocol)
        parsed = parser.parse(response, operation.output_shape)
        parsed.pop("ResponseMetadata", None)
        # botocore puts an error's code and message under "Error"; on a success that key is
        # a modelled member (amplifybackend CloneBackend's `Error`), kept.
        error = parsed.pop("Error", None) if case["status"] >= 300 else None
        if error is not None:
            # As botocore's client does (`_add_modeled_error_fields`): the error shape of the
            # parsed code, parsed again with that shape, its members added.
            code = error.get("Code")
            shape = model.shape_for_error_code(code) if code is not None else None
            if shape is None:
                result.update(error=f"unmodelled error {code!r}: {error}", kind="botocore")
                return result
            modelled = parser.parse(response, shape)
            modelled.pop("ResponseMetadata", None)
            modelled.pop("Error", None)
            value = canonical(modelled, shape)
            value["$error"] = shape.name
            result["output"] = value
        else:
            result["output"] = canonical(parsed, operation.output_shape)
    except Exception as e:  # a botocore failure is a result to compare, not a crash
        result.update(error=f"{type(e).__name__}: {e}", kind="botocore")
    return result


if __name__ == "__main__":
    main()
