package creds

import (
	"strings"
	"testing"
)

const (
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token  = "FQoGZXIvYXdzEXAMPLESESSIONTOKENVALUE"
)

func TestMask(t *testing.T) {
	if got := MaskKey("AKIAIOSFODNN7EXAMPLETGN7"); got != "****TGN7" {
		t.Errorf("MaskKey = %q", got)
	}
	if got := MaskKey("abc"); got != "****" {
		t.Errorf("MaskKey(short) = %q", got)
	}
	if got := DescribeSecret(secret); strings.Contains(got, secret[len(secret)-4:]) || !strings.Contains(got, "40 characters") {
		t.Errorf("DescribeSecret = %q", got)
	}
	if got := DescribeSecret(" x"); !strings.Contains(got, "spaces") {
		t.Errorf("DescribeSecret with spaces = %q", got)
	}
}
