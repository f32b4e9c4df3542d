package awsconfig

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type profiles map[string]map[string]string

// render is every profile of c with its keys; a block is "{k=v k2=v2}".
func render(c *Config) profiles {
	out := profiles{}
	for _, name := range c.Profiles() {
		p, _ := c.Profile(name)
		keys := map[string]string{}
		for k, v := range p.Keys {
			keys[k] = v.Value
			if v.Sub != nil {
				var sub []string
				for _, sk := range slices.Sorted(maps.Keys(v.Sub)) {
					sub = append(sub, sk+"="+v.Sub[sk].Value)
				}
				keys[k] = "{" + strings.Join(sub, " ") + "}"
			}
		}
		out[name] = keys
	}
	return out
}

// TestRules holds the shared profile-file rules of the AWS SDKs, written
// from the cross-SDK parser tests (smithy-rs
// aws-config/test-data/profile-parser-tests.json), and from what the AWS
// CLI (botocore) and the Go SDK do where they both part from them.
// README.md says which side awsenv takes where they disagree.
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name, config, credentials string
		want                      profiles
		errLine                   int // a SyntaxError at this line instead
	}{
		// Files and sections.
		{name: "empty files", want: profiles{}},
		{name: "empty profile", config: "[profile foo]", want: profiles{"foo": {}}},
		{name: "names may hold - / . % @ _ : + and more", config: "[profile a-b/c.d%e@f_g:h+i]\n[profile fø!]",
			want: profiles{"a-b/c.d%e@f_g:h+i": {}, "fø!": {}}},
		{name: "a header needs its ]", config: "[profile foo", errLine: 1},
		{name: "names are trimmed", config: "[profile \tfoo \t]", want: profiles{"foo": {}}},
		{name: "a tab may follow profile", config: "[profile\tfoo]", want: profiles{"foo": {}}},
		{name: "spaces inside the brackets", config: "[   profile foo    ]\nname = value", want: profiles{"foo": {"name": "value"}}},
		{name: "profilefoo is no profile", config: "[profilefoo]\nname = value\n[profile bar]", want: profiles{"bar": {}}},
		{name: "a bare name in the config file is no profile", config: "[foo]\nname = value", want: profiles{}},
		{name: "DEFAULT is not default", config: "[DEFAULT]\nname = value", want: profiles{}},
		{name: "profile prefix in the credentials file is ignored", credentials: "[profile foo]\nname = value", want: profiles{}},
		{name: "names with spaces are ignored", config: "[profile in valid]\nname = value", credentials: "[in valid 2]\nname2 = value2", want: profiles{}},
		{name: "quoted names are ignored", config: "[profile \"a b\"]\nname = value\n[profile 'c']", want: profiles{}},
		{name: "an ignored section keeps its keys", config: "[profile foo]\nname = value\n[profile in valid]\nx = 1\n[profile bar]\nname = value2",
			want: profiles{"foo": {"name": "value"}, "bar": {"name": "value2"}}},
		{name: "sso-session is no profile", config: "[sso-session foo]\nname = value\n[profile bar]", want: profiles{"bar": {}}},
		{name: "sso-sessionfoo in the credentials file is a profile", credentials: "[sso-sessionfoo]\nname = value\n[bar]",
			want: profiles{"sso-sessionfoo": {"name": "value"}, "bar": {}}},
		{name: "a property before any section", config: "name = value", errLine: 1},

		// Properties.
		{name: "properties", config: "[profile foo]\nname = value\nname2 = value2", want: profiles{"foo": {"name": "value", "name2": "value2"}}},
		{name: "CRLF", config: "[profile foo]\r\nname = value\r\n", want: profiles{"foo": {"name": "value"}}},
		{name: "= in values", config: "[profile foo]\nname = val=ue", want: profiles{"foo": {"name": "val=ue"}}},
		{name: "unicode values", config: "[profile foo]\nname = 😂", want: profiles{"foo": {"name": "😂"}}},
		{name: "keys and values are trimmed", config: "[profile foo]\nname \t=  \tvalue \t", want: profiles{"foo": {"name": "value"}}},
		{name: "empty values", config: "[profile foo]\nname =", want: profiles{"foo": {"name": ""}}},
		{name: "a key is needed", config: "[profile foo]\n= value", errLine: 2},
		{name: "a line without = is an error", config: "[profile foo]\nname value", errLine: 2},
		// The SDK rules reject ':'; the CLI (configparser) and the Go SDK
		// take it, whichever of = and : comes first.
		{name: "colon as delimiter", config: "[profile foo]\nregion: eu-west-1\nrole_arn = arn:aws:iam::1:role/r\nurl: http://x:1/=",
			want: profiles{"foo": {"region": "eu-west-1", "role_arn": "arn:aws:iam::1:role/r", "url": "http://x:1/="}}},
		// Keys are case-insensitive everywhere: the CLI, the Go SDK and
		// the SDK rules lower-case them.
		{name: "upper-case keys", config: "[default]\nAWS_ACCESS_KEY_ID = AKIA\nRegion = x",
			want: profiles{"default": {"aws_access_key_id": "AKIA", "region": "x"}}},
		{name: "case-insensitive repeats, last wins", config: "[profile foo]\nName = value\n[profile foo]\nname = value2", want: profiles{"foo": {"name": "value2"}}},
		{name: "repeated keys, last wins", config: "[profile foo]\nname = value\nname = value2", want: profiles{"foo": {"name": "value2"}}},
		{name: "repeated sections merge", config: "[profile foo]\nname = value\n[profile foo]\nname2 = value2", want: profiles{"foo": {"name": "value", "name2": "value2"}}},
		{name: "values keep their quotes", config: "[default]\nregion = \"eu-west-1\"", want: profiles{"default": {"region": `"eu-west-1"`}}},

		// Comments.
		{name: "# comments", config: "# Comment\n[profile foo] # Comment\nname = value # Comment with # sign", want: profiles{"foo": {"name": "value"}}},
		{name: "; comments", config: "; Comment\n[profile foo] ; Comment\nname = value ; Comment with ; sign", want: profiles{"foo": {"name": "value"}}},
		{name: "tab before a comment", config: "[profile foo]\nname = value\t# c", want: profiles{"foo": {"name": "value"}}},
		{name: "empty comments", config: ";\n[profile foo];\nname = value ;\n", want: profiles{"foo": {"name": "value"}}},
		{name: "comments right after a header", config: "[profile foo]; Adjacent\n[profile bar]# Adjacent", want: profiles{"foo": {}, "bar": {}}},
		{name: "# or ; right after a value is part of it", config: "[profile foo]\nname = value; Adjacent\nname2 = value# Adjacent\nurl = http://x/#frag",
			want: profiles{"foo": {"name": "value; Adjacent", "name2": "value# Adjacent", "url": "http://x/#frag"}}},
		{name: "a comment as the whole value", config: "[profile foo]\nname = # nothing", want: profiles{"foo": {"name": ""}}},
		{name: "indented comment lines", config: "[profile foo]\nname = value\n  # c\n\t; c", want: profiles{"foo": {"name": "value"}}},
		{name: "blank lines", config: "\t \n[profile foo]\n\t\n \nname = value\n\t \n[profile bar]\n \t", want: profiles{"foo": {"name": "value"}, "bar": {}}},

		// Continuations and blocks.
		{name: "continuation", config: "[profile foo]\nname = value\n -continued\n -and-continued", want: profiles{"foo": {"name": "value\n-continued\n-and-continued"}}},
		{name: "continuations are trimmed", config: "[profile foo]\nname = value\n \t -continued \t ", want: profiles{"foo": {"name": "value\n-continued"}}},
		{name: "continuations keep comments", config: "[profile foo]\nname = value\n -continued # Comment\n -x ; y", want: profiles{"foo": {"name": "value\n-continued # Comment\n-x ; y"}}},
		// The CLI reads an indented "k = v" after a value as more value;
		// the Go SDK as a property. The SDK rules side with the CLI.
		{name: "an indented property after a value continues it", config: "[profile foo]\nname = value\n  k = v", want: profiles{"foo": {"name": "value\nk = v"}}},
		{name: "a continuation outside a section", config: " -continued", errLine: 1},
		{name: "a continuation with no property", config: "[profile foo]\n -continued", errLine: 2},
		{name: "a header ends the property", config: "[profile foo]\nname = value\n[profile foo]\n -continued", errLine: 4},
		// The CLI and the Go SDK read an indented property right after a
		// header as a property.
		{name: "an indented first property", config: "[profile foo]\n  name = value", want: profiles{"foo": {"name": "value"}}},
		{name: "blocks", config: "[profile foo]\ns3 =\n name = value\n\t \n Name2 = value2 # kept\nregion = x",
			want: profiles{"foo": {"s3": "{name=value name2=value2 # kept}", "region": "x"}}},
		{name: "a block line needs =", config: "[profile foo]\ns3 =\n invalid", errLine: 3},
		{name: "a block line needs a key", config: "[profile foo]\ns3 =\n = value", errLine: 3},
		{name: "block values may be empty", config: "[profile foo]\ns3 =\n name =", want: profiles{"foo": {"s3": "{name=}"}}},
		{name: "block keys may have spaces", config: "[profile foo]\ns3 =\n in valid = value", want: profiles{"foo": {"s3": "{in valid=value}"}}},

		// The two files.
		{name: "both files merge", config: "[profile foo]\nname = value", credentials: "[foo]\nname2 = value2", want: profiles{"foo": {"name": "value", "name2": "value2"}}},
		{name: "the credentials file wins", config: "[profile foo]\nname = value", credentials: "[foo]\nname = value2", want: profiles{"foo": {"name": "value2"}}},
		// [profile default] shadows [default], whichever comes first (SDK
		// rules and Go SDK; the CLI takes the one written last).
		{name: "[profile default] first", config: "[profile default]\nname = value\n[default]\nname2 = value2", want: profiles{"default": {"name": "value"}}},
		{name: "[profile default] last", config: "[default]\nname2 = value2\n[profile default]\nname = value", want: profiles{"default": {"name": "value"}}},
		{name: "[profile default] sections merge, [default] left out", config: "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3",
			credentials: "[default]\nsecret = foo", want: profiles{"default": {"name": "value", "name3": "value3", "secret": "foo"}}},

		// The CLI refuses a file with a byte order mark; the Go SDK loses
		// its first section.
		{name: "byte order mark", config: "\xef\xbb\xbf[default]\nname = value", errLine: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.config, tc.credentials)
			if tc.errLine > 0 {
				var se *SyntaxError
				if !errors.As(err, &se) || se.Line != tc.errLine {
					t.Fatalf("got %v, want a SyntaxError at line %d", err, tc.errLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := render(c); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSSOSessionsAndServices(t *testing.T) {
	c, err := load(t, "[sso-session corp]\nsso_region = eu-west-1\n[sso-session corp]\nsso_start_url = https://x\n[services s]\nsts =\n  endpoint_url = http://127.0.0.1:1 # kept\n", "")
	if err != nil {
		t.Fatal(err)
	}
	s, ok := c.SSOSession("corp")
	if !ok || s.Keys["sso_region"].Value != "eu-west-1" || s.Keys["sso_start_url"].Value != "https://x" || s.Line != 1 {
		t.Errorf("sso-session corp = %+v", s)
	}
	svc, ok := c.Services("s")
	// The CLI and the Go SDK both keep a "comment" in a block value.
	if v := svc.Keys["sts"].Sub["endpoint_url"]; !ok || v.Value != "http://127.0.0.1:1 # kept" || v.Line != 7 {
		t.Errorf("services s = %+v", svc)
	}
}

// TestWarnings: where the AWS CLI reads a file differently from the SDKs
// (and awsenv), doctor can say so, with file and line.
func TestWarnings(t *testing.T) {
	c, err := load(t, `[default]
region = eu-west-1 # Ireland
[profile default]
[profile a]
[profile a]
[DEFAULT]
[profile in valid]
`, "[profile b]\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range c.Warnings() {
		got = append(got, w.String()[strings.LastIndex(w.String(), "/")+1:strings.Index(w.String(), ": ")])
	}
	want := []string{"config:1", "config:2", "config:5", "config:6", "config:7", "credentials:1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings at %v, want %v\n%v", got, want, c.Warnings())
	}
}
