package awsconfig

import "strings"

// arnFields returns the account and resource of an ARN
// (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) without allocating: list
// reads it for every one of thousands of profiles.
func arnFields(arn string) (account, resource string, ok bool) {
	if !strings.HasPrefix(arn, "arn:") {
		return "", "", false
	}
	rest := arn
	for i := 0; i < 4; i++ { // arn, partition, service, region
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return "", "", false
		}
		rest = rest[j+1:]
	}
	account, resource, ok = strings.Cut(rest, ":")
	return account, resource, ok
}

// ARNAccount is the account of an ARN ("arn:aws:iam::123456789012:role/R"
// gives "123456789012"), or "".
func ARNAccount(arn string) string {
	account, _, _ := arnFields(arn)
	return account
}

// RoleName is the name of the role in a role ARN, without its path, or "".
func RoleName(arn string) string {
	_, res, ok := arnFields(arn)
	if !ok || !strings.HasPrefix(res, "role/") {
		return ""
	}
	return res[strings.LastIndexByte(res, '/')+1:]
}
