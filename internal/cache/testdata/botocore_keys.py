#!/usr/bin/env python3
"""Writes botocore_keys.json: AWS CLI cache keys computed by botocore itself.

Each case is the extra_args the CLI passes to AssumeRoleCredentialFetcher
(see botocore.credentials.AssumeRoleProvider._load_creds_via_assume_role)
and the cache key (file name without .json) botocore derives from them.
Run: python3 botocore_keys.py > botocore_keys.json
"""
import json
import sys

from botocore.credentials import AssumeRoleCredentialFetcher

ROLE = "arn:aws:iam::123456789012:role/project1"
CASES = [
    ("role only", {}),
    ("session name", {"RoleSessionName": "alice"}),
    ("empty session name is generated, not hashed", {"RoleSessionName": ""}),
    ("external id", {"ExternalId": "ext-123"}),
    ("empty external id", {"ExternalId": ""}),
    ("mfa", {"SerialNumber": "arn:aws:iam::111111111111:mfa/alice"}),
    ("duration", {"DurationSeconds": 7200}),
    ("all", {
        "RoleSessionName": "alice",
        "ExternalId": "ext-123",
        "SerialNumber": "arn:aws:iam::111111111111:mfa/alice",
        "DurationSeconds": 43200,
    }),
    ("escapes", {"ExternalId": "q\"b\\s/<>&\n\r\t\b\f\x01\x7f \u00fc\u2028\U0001F600~"}),
    ("policy", {"Policy": json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*",
                       "Condition": {"NumericLessThan": {"n": 10, "f": 1.5, "big": 1e20, "small": 0.0001,
                                                         "one": 1.0, "neg": -3, "tiny": 1.5e-7},
                                     "Bool": {"aws:SecureTransport": True}, "Null": {"x": None}}}],
        "Zeta": "\u00e9",
    }, sort_keys=False)}),
]


def key(extra):
    f = AssumeRoleCredentialFetcher(
        client_creator=None, source_credentials=None, role_arn=ROLE,
        extra_args=dict(extra), cache={})
    return f._cache_key


out = [{"name": n, "args": dict(a, RoleArn=ROLE), "key": key(a)} for n, a in CASES]
json.dump(out, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
