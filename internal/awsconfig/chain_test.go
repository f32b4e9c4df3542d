package awsconfig

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

const keys = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + secret + "\n"

const chainConfig = `[default]
region = eu-west-1
[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/me
external_id = ext
role_session_name = me
duration_seconds = 7200
region = eu-central-1
[profile chained]
role_arn = arn:aws:iam::123456789012:role/chained
source_profile = app
[profile ec2]
role_arn = arn:aws:iam::123456789012:role/ec2
credential_source = Ec2InstanceMetadata
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[profile proc]
credential_process = /bin/get-creds
[profile web]
role_arn = arn:aws:iam::123456789012:role/web
web_identity_token_file = /tmp/token
[profile login]
login_session = arn:aws:iam::123456789012:user/me
[profile loop]
role_arn = arn:aws:iam::123456789012:role/loop
source_profile = loop
[profile dangling]
role_arn = arn:aws:iam::123456789012:role/d
source_profile = nowhere
[profile self]
role_arn = arn:aws:iam::123456789012:role/self
source_profile = self
` + keys + `
[profile self-proc]
role_arn = arn:aws:iam::123456789012:role/self
source_profile = self-proc
credential_process = /bin/get-creds
` + keys + `
[profile a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = b
[profile b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = a
` + keys + `
[profile c]
role_arn = arn:aws:iam::123456789012:role/c
source_profile = d
` + keys + `
[profile d]
role_arn = arn:aws:iam::123456789012:role/d
source_profile = c
[profile x]
role_arn = arn:aws:iam::123456789012:role/x
source_profile = y
[profile y]
role_arn = arn:aws:iam::123456789012:role/y
source_profile = z
[profile z]
role_arn = arn:aws:iam::123456789012:role/z
source_profile = y
[profile lonely-role]
role_arn = arn:aws:iam::123456789012:role/r
` + keys + `
[profile both]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = base
credential_source = Environment
[profile badsource]
role_arn = arn:aws:iam::123456789012:role/r
credential_source = Laptop
[profile to-empty]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = default
[profile shortdur]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = base
duration_seconds = 60
[profile baddur]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = base
duration_seconds = 1h
[profile half-keys]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
[profile sso-missing]
sso_session = nope
[profile sso-and-keys]
sso_session = corp
` + keys + `
[profile proc-and-config-keys]
credential_process = /bin/get-creds
` + keys

const chainCredentials = `[base]
` + keys + `
[proc-and-creds-keys]
credential_process = /bin/get-creds
` + keys

// TestChain follows chains as the AWS CLI does (botocore's
// AssumeRoleProvider; each case's comment says where the Go SDK differs).
func TestChain(t *testing.T) {
	c, err := load(t, chainConfig, chainCredentials)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		kinds []Kind
		chain []string
		err   string // part of the error, "" for none
	}{
		{"base", []Kind{KindStatic}, []string{"base"}, ""},
		{"app", []Kind{KindRole, KindStatic}, []string{"app", "base"}, ""},
		{"chained", []Kind{KindRole, KindRole, KindStatic}, []string{"chained", "app", "base"}, ""},
		{"ec2", []Kind{KindRole}, []string{"ec2"}, ""},
		{"sso", []Kind{KindSSO}, []string{"sso"}, ""},
		{"proc", []Kind{KindProcess}, []string{"proc"}, ""},
		{"web", []Kind{KindWebIdentity}, []string{"web"}, ""},
		{"login", []Kind{KindLogin}, []string{"login"}, ""},
		{"default", []Kind{KindNone}, []string{"default"}, ""},
		// A role may name itself as its source when it holds keys: the
		// keys assume the role (CLI and Go SDK alike).
		{"self", []Kind{KindRole, KindStatic}, []string{"self", "self"}, ""},
		// ... and then it is the profile's credentials other than the
		// role, in the CLI's order: credential_process before config keys.
		{"self-proc", []Kind{KindRole, KindProcess}, []string{"self-proc", "self-proc"}, ""},
		{"loop", []Kind{KindRole}, []string{"loop"}, "source_profile loop loop → loop"},
		// a → b, and b holds keys: b's own role is not followed, as in the
		// CLI and the Go SDK. No loop.
		{"a", []Kind{KindRole, KindStatic}, []string{"a", "b"}, ""},
		// c holds keys, d points back at it: the CLI refuses the loop
		// (InfiniteLoopConfigError); the Go SDK would use c's keys.
		{"c", []Kind{KindRole, KindRole}, []string{"c", "d"}, "source_profile loop c → d → c"},
		{"x", []Kind{KindRole, KindRole, KindRole}, []string{"x", "y", "z"}, "source_profile loop x → y → z → y"},
		{"dangling", []Kind{KindRole}, []string{"dangling"}, `source_profile "nowhere" is not in`},
		// The CLI: PartialCredentialsError; the Go SDK would assume the
		// role with the profile's keys.
		{"lonely-role", []Kind{KindNone}, []string{"lonely-role"}, "role_arn needs source_profile or credential_source"},
		{"both", []Kind{KindRole}, []string{"both"}, "both source_profile"},
		{"badsource", []Kind{KindRole}, []string{"badsource"}, `credential_source "Laptop" is not Environment, Ec2InstanceMetadata, EcsContainer`},
		{"to-empty", []Kind{KindRole, KindNone}, []string{"to-empty", "default"}, "has no credentials"},
		{"shortdur", []Kind{KindRole}, []string{"shortdur"}, "duration_seconds 60 is outside 900 to 43200"},
		{"baddur", []Kind{KindRole}, []string{"baddur"}, "duration_seconds is not a whole number"},
		{"half-keys", []Kind{KindStatic}, []string{"half-keys"}, "aws_access_key_id without aws_secret_access_key"},
		{"sso-missing", []Kind{KindSSO}, []string{"sso-missing"}, `sso_session "nope" has no [sso-session nope] section`},
		// The CLI tries SSO before keys, and credential_process before
		// keys in the config file but after keys in the credentials file.
		// The Go SDK takes keys first in all three.
		{"sso-and-keys", []Kind{KindSSO}, []string{"sso-and-keys"}, ""},
		{"proc-and-config-keys", []Kind{KindProcess}, []string{"proc-and-config-keys"}, ""},
		{"proc-and-creds-keys", []Kind{KindStatic}, []string{"proc-and-creds-keys"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hops, err := c.Chain(tt.name)
			var kinds []Kind
			var names []string
			for _, h := range hops {
				kinds = append(kinds, h.Kind)
				names = append(names, h.Profile.Name)
			}
			if !reflect.DeepEqual(kinds, tt.kinds) || !reflect.DeepEqual(names, tt.chain) {
				t.Errorf("Chain(%s) = %v %v, want %v %v", tt.name, names, kinds, tt.chain, tt.kinds)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("Chain(%s): %v", tt.name, err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("Chain(%s) error %v, want one with %q", tt.name, err, tt.err)
			}
			var ce *ChainError
			if err != nil && (!errors.As(err, &ce) || ce.Profile == "") {
				t.Errorf("Chain(%s) error %T %v is not a ChainError that names a profile", tt.name, err, err)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows a secret: %v", err)
			}
		})
	}
	if _, err := c.Chain("nope"); !errors.As(err, new(*NotFoundError)) {
		t.Errorf("Chain(nope) = %v, want a NotFoundError", err)
	}
}

// TestHopSettings: a hop carries what a resolver needs, with where each
// value is written.
func TestHopSettings(t *testing.T) {
	c, err := load(t, chainConfig, chainCredentials)
	if err != nil {
		t.Fatal(err)
	}
	hops, err := c.Chain("app")
	if err != nil {
		t.Fatal(err)
	}
	h := hops[0]
	got := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v|%s", h.RoleARN.Value, h.SourceProfile.Value, h.MFASerial.Value, h.ExternalID.Value, h.RoleSessionName.Value, h.Region.Value, h.Duration, h.DurationValue.Where())
	want := "arn:aws:iam::123456789012:role/app|base|arn:aws:iam::123456789012:mfa/me|ext|me|eu-central-1|2h0m0s|" + c.ConfigFile + ":9"
	if got != want {
		t.Errorf("hop = %s\nwant  %s", got, want)
	}
	if hops[1].Region.Value != "" {
		t.Errorf("the source hop has region %q: the SDKs do not inherit it, nor should the hop", hops[1].Region.Value)
	}
	hops, _ = c.Chain("a")
	if hops[1].Ignored == "" || hops[0].Ignored != "" {
		t.Errorf("Ignored = %q, %q: b's role_arn is not used and should say so", hops[0].Ignored, hops[1].Ignored)
	}
	_, err = c.Chain("baddur")
	var ce *ChainError
	line := strings.Count(chainConfig[:strings.Index(chainConfig, "duration_seconds = 1h")], "\n") + 1
	if want := fmt.Sprintf("%s:%d", c.ConfigFile, line); !errors.As(err, &ce) || ce.Where != want {
		t.Errorf("baddur: %v, want the error at %s", err, want)
	}
}

func TestDescribe(t *testing.T) {
	c, err := load(t, chainConfig, chainCredentials)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		kind     Kind
		chain    []string
		mfa      int
		hops     int
		chainErr bool
	}{
		{"base", KindStatic, []string{"base"}, 0, 0, false},
		{"app", KindRole, []string{"app", "base"}, 1, 1, false},
		{"chained", KindRole, []string{"chained", "app", "base"}, 1, 2, false},
		{"ec2", KindRole, []string{"ec2"}, 0, 1, false},
		{"loop", KindRole, []string{"loop", "loop"}, 0, 1, true},
		{"c", KindRole, []string{"c", "d", "c"}, 0, 2, true},
		{"missing", KindNone, nil, 0, 0, true},
	} {
		info := c.Describe(tt.name)
		if info.Kind != tt.kind || !reflect.DeepEqual(info.Chain, tt.chain) || len(info.MFASerials) != tt.mfa || info.RoleHops != tt.hops || (info.ChainError != "") != tt.chainErr {
			t.Errorf("Describe(%s) = kind %s chain %v mfa %v hops %d err %q", tt.name, info.Kind, info.Chain, info.MFASerials, info.RoleHops, info.ChainError)
		}
	}
	if info := c.Describe("app"); info.Duration != 2*time.Hour || info.Root.Name != "base" || info.RegionValue.Where() != c.ConfigFile+":10" {
		t.Errorf("Describe(app) = %+v", info)
	}
}
