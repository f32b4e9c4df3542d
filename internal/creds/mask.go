package creds

import (
	"fmt"
	"strings"
)

// MaskKey shows the last four characters of an access key id, as the AWS
// CLI does: enough to tell keys apart, not enough to use one.
func MaskKey(id string) string {
	id = strings.TrimSpace(id)
	if len(id) <= 4 {
		return "****"
	}
	return "****" + id[len(id)-4:]
}

// DescribeSecret stands in for a secret key or session token: its length
// only, which tells a truncated or padded paste (a secret access key is 40
// characters) without showing any of it.
func DescribeSecret(v string) string {
	if v == "" {
		return "<not set>"
	}
	note := ""
	if strings.TrimSpace(v) != v {
		note = ", with surrounding spaces"
	}
	return fmt.Sprintf("****(hidden, %d characters%s)", len(v), note)
}

// KeyKind names the kind of access key from its prefix.
func KeyKind(id string) string {
	switch {
	case strings.HasPrefix(id, "AKIA"):
		return "long-term"
	case strings.HasPrefix(id, "ASIA"):
		return "temporary"
	}
	return "unknown kind"
}
