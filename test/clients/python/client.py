"""An AWS client on boto3, as a user's Python script would be: clients made once with
the default credential chain, region and endpoint from the environment. Same contract
as test/clients/node/client.mjs (ops identity, allowed, denied; --loop reads ops from
stdin); one JSON line per op."""
import json
import sys

import boto3
import botocore

session = boto3.session.Session()
config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
clients = {}


def client(name):
    """Made on first use and kept: botocore resolves credentials when a client is made."""
    if name not in clients:
        clients[name] = session.client(name, config=config)
    return clients[name]


def describe(error):
    parts = []
    while error is not None:
        parts.append(str(error))
        error = error.__cause__ or error.__context__
    return " | caused by: ".join(parts)


def identity():
    out = client("sts").get_caller_identity()
    credentials = session.get_credentials().get_frozen_credentials()
    return {"arn": out["Arn"], "accessKeyId": credentials.access_key}


def allowed():
    client("rds").describe_db_instances()
    return {}


def denied():
    client("ec2").describe_instances()
    return {}


OPS = {"identity": identity, "allowed": allowed, "denied": denied}


def run(op):
    try:
        line = {"op": op, "ok": True, **OPS[op]()}
    except Exception as error:  # every failure is reported, never raised
        code = getattr(error, "response", {}).get("Error", {}).get("Code") or type(error).__name__
        line = {"op": op, "ok": False, "code": code, "error": describe(error)}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--loop"]:
        for raw in sys.stdin:
            if raw.strip():
                run(raw.strip())
    else:
        for name in sys.argv[1:]:
            run(name)
    print(json.dumps({"versions": {"boto3": boto3.__version__, "botocore": botocore.__version__}}), file=sys.stderr)
