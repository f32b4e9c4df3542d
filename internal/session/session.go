// Package session says what this shell's variables say about its AWS
// credentials: whose they are, when they expire and how much time is
// left, read one way for `awsenv prompt`, `status`, `list`, `doctor` and
// the prompt hooks. It also holds the rules of the hooks (Step,
// NextChange, the messages and defaults), which the shell scripts in
// internal/shell are generated from and held to.
package session

import (
	"time"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// Phase is the state of a set of credentials at one moment.
type Phase string

// The phases, as `awsenv prompt` writes them for %s.
const (
	PhaseNone    Phase = ""        // no credentials in the environment
	PhaseNoExp   Phase = "static"  // credentials without a readable expiry
	PhaseFresh   Phase = "ok"      // more than AWSENV_WARN_BEFORE left
	PhaseSoon    Phase = "soon"    // within AWSENV_WARN_BEFORE
	PhaseExpired Phase = "expired" // no time left
)

// ExpiryVars are read in this order; the first that is set decides, as it
// does in the hook scripts. awsenv writes both.
var ExpiryVars = []string{creds.CredentialExpiration, creds.SessionExpiration}

// Snapshot is what the credential variables of one environment say at one
// moment, with nothing secret kept.
type Snapshot struct {
	AccessKeyID   string // the full id: callers mask it before showing it
	HasSecret     bool
	SecretLen     int
	HasToken      bool
	SecurityToken string // "", "same" (as AWS_SESSION_TOKEN) or "different"

	AwsenvProfile string // AWSENV_PROFILE: awsenv exported these, and `awsenv refresh` renews them
	Profile       string // AWS_PROFILE
	Name          string // the name the prompt shows: see ProfileName
	Region        string
	RegionVar     string
	// Tool names another tool that left its marks and the variable that
	// says so, e.g. "aws-vault (AWS_VAULT)"; SetBy names the tool alone.
	Tool string
	tool int // 1 + the index in Tools of Tool, 0 for none

	// ExpiresVar is the first of ExpiryVars that is set, ExpiresRaw its
	// value. Expires is that value parsed, when HasExpiry; ExpiresBad says
	// the value is not a time.
	ExpiresVar string
	ExpiresRaw string
	Expires    time.Time
	ExpiresBad bool
	// Left is SecondsLeft(Expires, now); <= 0 once expired.
	Left  int64
	Phase Phase
}

// Read takes the snapshot through getenv (os.Getenv in the CLI) at now.
// Phase is PhaseNone without AWS_ACCESS_KEY_ID; the expiry fields are
// filled in either way.
func Read(getenv func(string) string, now time.Time) Snapshot {
	s := Snapshot{
		AccessKeyID:   getenv(creds.AccessKeyID),
		HasSecret:     getenv(creds.SecretAccessKey) != "",
		SecretLen:     len(getenv(creds.SecretAccessKey)),
		HasToken:      getenv(creds.SessionToken) != "",
		AwsenvProfile: getenv(creds.AwsenvProfile),
		Profile:       getenv(creds.Profile),
		Name:          ProfileName(getenv),
	}
	if st := getenv(creds.SecurityToken); st != "" {
		s.SecurityToken = "different"
		if st == getenv(creds.SessionToken) {
			s.SecurityToken = "same"
		}
	}
	for _, name := range []string{creds.Region, creds.DefaultRegion} {
		if v := getenv(name); v != "" {
			s.Region, s.RegionVar = v, name
			break
		}
	}
	for i, t := range Tools {
		if getenv(t.Var) != "" {
			s.Tool, s.tool = t.Name+" ("+t.Var+")", i+1
			break
		}
	}
	for _, name := range ExpiryVars {
		if v := getenv(name); v != "" {
			s.ExpiresVar, s.ExpiresRaw = name, v
			break
		}
	}
	if s.ExpiresRaw != "" {
		if t, ok := ParseExpiry(s.ExpiresRaw); ok {
			s.Expires, s.Left = t, SecondsLeft(t, now)
		} else {
			s.ExpiresBad = true
		}
	}
	switch {
	case s.AccessKeyID == "":
		s.Phase = PhaseNone
	case !s.HasExpiry():
		s.Phase = PhaseNoExp
	case s.Left <= 0:
		s.Phase = PhaseExpired
	case s.Left <= windowSecs(getenv, WarnBeforeVar, DefaultWarnBefore):
		s.Phase = PhaseSoon
	default:
		s.Phase = PhaseFresh
	}
	return s
}

// Tools are awsenv's neighbours, each by the variable it leaves set in a
// shell it put credentials in; the first that is set names the tool. Every
// variable is one of creds.ForeignVars, which `clear --all` removes.
var Tools = []shell.HookTool{
	{Var: "AWS_VAULT", Name: "aws-vault"},
	{Var: "AWSUME_PROFILE", Name: "awsume"},
	{Var: "GRANTED_AWS_ROLE", Name: "granted"},
	{Var: "GRANTED_SSO", Name: "granted"},
	{Var: "AWS_SSO_PROFILE", Name: "aws-sso-util"},
}

// OtherTool is what SetBy says when no variable of Tools is set.
const OtherTool = "a script or another tool"

// SetBy names what set credentials that awsenv did not: one of Tools,
// else OtherTool.
func (s Snapshot) SetBy() string {
	if s.tool > 0 {
		return Tools[s.tool-1].Name
	}
	return OtherTool
}

// HasKeys reports whether any credential variable is set.
func (s Snapshot) HasKeys() bool {
	return s.AccessKeyID != "" || s.HasSecret || s.HasToken || s.SecurityToken != ""
}

// SetByAwsenv reports whether awsenv exported the credentials in this shell:
// AWSENV_PROFILE is set and AWS_PROFILE, if set, agrees with it.
func (s Snapshot) SetByAwsenv() bool {
	return s.AwsenvProfile != "" && (s.Profile == "" || s.Profile == s.AwsenvProfile)
}

// HasExpiry reports whether a variable holds a readable expiry. (Expires
// itself may be the zero time: 0001-01-01T00:00:00Z parses.)
func (s Snapshot) HasExpiry() bool { return s.ExpiresRaw != "" && !s.ExpiresBad }

// TimeLeft is FormatLeft(s.Left), or "" without credentials or a readable
// expiry.
func (s Snapshot) TimeLeft() string {
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp {
		return ""
	}
	return FormatLeft(s.Left)
}

// Prompt is the AWSENV_PROMPT segment: "project1 42m", "project1 expired",
// "project1" when the expiry is unknown, "" without credentials.
func (s Snapshot) Prompt() string {
	switch s.Phase {
	case PhaseNone:
		return ""
	case PhaseNoExp:
		return s.Name
	}
	return s.Name + " " + FormatLeft(s.Left)
}

// profileVars are the names ProfileName tries, in order.
var profileVars = []string{creds.AwsenvProfile, "AWS_VAULT", creds.Profile}

// ProfileName is the name the prompt shows: awsenv's profile, else
// aws-vault's, else AWS_PROFILE, else "aws".
func ProfileName(getenv func(string) string) string {
	for _, name := range profileVars {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return "aws"
}
