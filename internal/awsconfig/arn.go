package awsconfig

import "strings"

// ARNAccount is the account of an ARN ("arn:aws:iam::123456789012:role/R"
// gives "123456789012"), or "".
func ARNAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		return parts[4]
	}
	return ""
}

// RoleName is the name of the role in a role ARN, without its path, or "".
func RoleName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[5], "role/") {
		return ""
	}
	return parts[5][strings.LastIndexByte(parts[5], '/')+1:]
}
