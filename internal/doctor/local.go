package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// nearExpiry is when a session is close enough to its end to warn: less
// than a typical command takes to plan and run.
const nearExpiry = 5 * time.Minute

// clearFix is the fix for stale variables: awsenv's command and the plain
// statements for the user's shell, for those who have not set awsenv up.
func (r *run) clearFix() string {
	sh := r.userShell()
	lines, err := shell.Render(sh, creds.ClearChanges(false))
	fix := "run `" + sh.Eval("clear") + "`"
	if err == nil {
		fix += ", or paste: " + strings.Join(strings.Fields(strings.ReplaceAll(lines, "\n", " ")), " ")
	}
	return fix
}

// useCmd is the command line, for the person's shell, that switches it to
// the profile with args added.
func (r *run) useCmd(args ...string) string {
	p := r.profile
	if r.shell.AwsenvProfile != "" && r.opts.Profile == "" {
		p = r.shell.AwsenvProfile
	}
	return "`" + r.userShell().Eval(append([]string{"use", p}, args...)...) + "`"
}

// userShell is the shell the person runs doctor in, as use would detect
// it; sh when it cannot tell.
func (r *run) userShell() shell.Shell {
	sh, err := shell.Detect(r.getenv("AWSENV_SHELL"))
	if err != nil {
		sh, _ = shell.Lookup("sh")
	}
	return sh
}

// checkEnv looks at the credential variables of this shell.
func (r *run) checkEnv() []Finding {
	s := r.shell
	f := func(st Status, title, found, why, fix string) Finding {
		return Finding{Check: "env", Status: st, Title: title, Found: found, Why: why, Fix: fix}
	}
	if !s.HasKeys() && s.ExpiresRaw == "" {
		return []Finding{f(OK, "Credential variables", "none set in this shell; tools use the profile", "", "")}
	}
	var details []string
	if s.AccessKeyID != "" {
		details = append(details, fmt.Sprintf("%s=%s (%s key)", creds.AccessKeyID, creds.MaskKey(s.AccessKeyID), creds.KeyKind(s.AccessKeyID)))
	}
	if s.HasSecret {
		details = append(details, fmt.Sprintf("%s is set (%d characters)", creds.SecretAccessKey, s.SecretLen))
	}
	if s.HasToken {
		details = append(details, creds.SessionToken+" is set")
	}
	if s.SecurityToken != "" {
		details = append(details, creds.SecurityToken+" is set")
	}
	if s.HasExpiry() {
		details = append(details, fmt.Sprintf("%s=%s (%s)", s.ExpiresVar, s.Expires.UTC().Format(time.RFC3339), session.Left(s.Expires, r.now())))
	}
	var out []Finding
	// The variables are listed once, under the first finding.
	add := func(x Finding) {
		if len(out) == 0 {
			x.Details = details
		}
		out = append(out, x)
	}
	now := r.now()
	switch {
	case s.AccessKeyID != "" && !s.HasSecret:
		add(f(Error, "Incomplete credential variables", creds.AccessKeyID+" is set without "+creds.SecretAccessKey,
			"The SDKs take credentials from the variables only as a pair; with half of one, some tools fail and others fall through to another source.",
			r.clearFix()))
	case s.AccessKeyID == "" && (s.HasSecret || s.HasToken):
		add(f(Error, "Incomplete credential variables", "a secret key or session token is set without "+creds.AccessKeyID,
			"Left over from an earlier session: tools ignore it or mix it with keys from elsewhere.", r.clearFix()))
	}
	if strings.HasPrefix(s.AccessKeyID, "AKIA") && s.HasToken {
		add(f(Error, "Session token beside a long-term key", fmt.Sprintf("%s is a long-term key (AKIA…) but %s is set", creds.MaskKey(s.AccessKeyID), creds.SessionToken),
			"A session token belongs to a temporary key (ASIA…). Sent with a long-term key it makes STS reject the request (InvalidClientTokenId or ExpiredToken): it is left over from an earlier session.",
			"unset "+creds.SessionToken+" (and "+creds.SecurityToken+"), or "+r.clearFix()))
	}
	if strings.HasPrefix(s.AccessKeyID, "ASIA") && !s.HasToken {
		add(f(Error, "Temporary key without a session token", fmt.Sprintf("%s is a temporary key (ASIA…) but %s is not set", creds.MaskKey(s.AccessKeyID), creds.SessionToken),
			"Temporary keys work only with the session token STS issued with them; without it every request fails with InvalidClientTokenId.",
			r.clearFix()+"\nthen "+r.useCmd()))
	}
	if s.HasSecret && s.SecretLen != 40 {
		add(f(Warning, "Unusual secret key length", fmt.Sprintf("%s is %d characters long; AWS secret keys are 40", creds.SecretAccessKey, s.SecretLen),
			"A truncated or padded paste makes every request fail with SignatureDoesNotMatch.",
			"set the variable again from the source, or "+r.useCmd()))
	}
	if s.SecurityToken == "different" {
		add(f(Warning, "Stale AWS_SECURITY_TOKEN", creds.SecurityToken+" is set and differs from "+creds.SessionToken,
			"AWS_SECURITY_TOKEN is boto2's old name for the session token. Some tools still read it, and a stale copy makes them send an expired token.",
			"unset "+creds.SecurityToken+" (`awsenv use` and `awsenv clear` do)"))
	}
	switch {
	case s.ExpiresBad:
		add(f(Warning, "Unreadable expiry", fmt.Sprintf("%s is not a time (RFC 3339 expected)", s.ExpiresVar),
			"Prompts and SDKs that read it cannot tell when the session ends.", r.useCmd("--refresh")+" writes a correct one"))
	case s.HasExpiry() && session.SecondsLeft(s.Expires, now) <= 0:
		add(f(Error, "Expired credentials in this shell", fmt.Sprintf("the session in the variables expired at %s (%s)", s.Expires.UTC().Format(time.RFC3339), session.Left(s.Expires, now)),
			"Every AWS command in this shell fails with \"The security token included in the request is expired\": the variables win over any profile.",
			r.clearFix()+"\nthen, for a new session, "+r.useCmd()))
	case s.HasExpiry() && session.SecondsLeft(s.Expires, now) < int64(nearExpiry/time.Second):
		add(f(Warning, "Credentials about to expire", fmt.Sprintf("the session in the variables ends at %s (%s)", s.Expires.UTC().Format(time.RFC3339), session.Left(s.Expires, now)),
			"A command started now may fail half-way with an expired token.", r.useCmd("--refresh")))
	}
	if len(out) == 0 {
		found := "set and complete"
		if s.HasExpiry() {
			found += ", " + session.Left(s.Expires, now)
		} else if s.HasToken {
			found += "; no expiry variable, so the time left is unknown"
		}
		out = append(out, Finding{Check: "env", Status: OK, Title: "Credential variables", Found: found, Details: details})
	}
	return out
}

// checkPrecedence finds credential variables that contradict AWS_PROFILE
// or the profile being checked.
func (r *run) checkPrecedence() Finding {
	s := r.shell
	f := Finding{Check: "precedence", Title: "Variables and profile agree"}
	switch {
	case s.AccessKeyID != "" && s.Profile != "" && s.Profile != s.AwsenvProfile:
		owner := "not exported by awsenv"
		if s.AwsenvProfile != "" {
			owner = fmt.Sprintf("exported by awsenv for profile %q", s.AwsenvProfile)
		} else if s.Tool != "" {
			owner = "set by " + s.Tool
		}
		f.Status = Warning
		f.Title = "Variables override AWS_PROFILE"
		f.Found = fmt.Sprintf("AWS_PROFILE=%s, but the credential variables (%s) are %s", s.Profile, creds.MaskKey(s.AccessKeyID), owner)
		f.Why = "The AWS CLI, boto3 and the Go SDK use credential variables before AWS_PROFILE, so they run as the variables' identity, not the profile's, while the JavaScript SDK v3 takes AWS_PROFILE instead: two tools in one shell act as two identities, and a \"right\" profile still fails with an expired token."
		f.Fix = fmt.Sprintf("switch with `%s`, which sets both together, or %s", r.userShell().Eval("use", s.Profile), r.clearFix())
	case s.AccessKeyID != "" && r.opts.Profile != "" && r.opts.Profile != s.AwsenvProfile:
		f.Status = Warning
		f.Title = "Checked profile is not this shell's"
		f.Found = fmt.Sprintf("checking profile %q, but this shell's credential variables (%s) belong to %s", r.opts.Profile, creds.MaskKey(s.AccessKeyID), orUnknown(s.AwsenvProfile))
		f.Why = "Commands without --profile use the variables, not the profile checked here."
		f.Fix = fmt.Sprintf("`%s` to work as that profile", r.userShell().Eval("use", r.opts.Profile))
	case s.AccessKeyID != "":
		f.Status = OK
		f.Found = "the credential variables belong to " + orUnknown(s.AwsenvProfile)
	default:
		f.Status = OK
		f.Found = "no credential variables to override AWS_PROFILE"
	}
	return f
}

func orUnknown(p string) string {
	if p == "" {
		return "no awsenv profile (set outside awsenv)"
	}
	return fmt.Sprintf("profile %q (AWSENV_PROFILE)", p)
}

// checkProfile looks at the profile's settings.
func (r *run) checkProfile() []Finding {
	f := func(st Status, title, found, why, fix string) Finding {
		return Finding{Check: "profile", Status: st, Title: title, Found: found, Why: why, Fix: fix}
	}
	if r.cfg == nil {
		return []Finding{f(Skipped, "Profile", "not checked: the shared files could not be read (see Files)", "", "")}
	}
	if r.prof == nil {
		if r.profileSource == "the default" && r.shell.AccessKeyID != "" {
			return []Finding{f(OK, "Profile", "no [default] profile; this shell uses its credential variables", "", "")}
		}
		if r.profileSource == "the default" {
			return []Finding{f(Warning, "No default profile", fmt.Sprintf("no --profile or AWS_PROFILE, and no [default] in %s or %s", r.cfg.ConfigFile, r.cfg.CredentialsFile),
				"Commands without --profile find no credentials here.",
				"check a profile with `awsenv doctor --profile NAME` (`awsenv list` shows them), or switch to one with `eval \"$(awsenv use NAME)\"`")}
		}
		_, err := r.cfg.Lookup(r.profile)
		return []Finding{f(Error, "Profile not found", err.Error(),
			"The AWS CLI and SDKs fail with \"The config profile could not be found\".",
			fmt.Sprintf("use a name from `awsenv list`, or add [profile %s] to %s", r.profile, r.cfg.ConfigFile))}
	}
	var out []Finding
	p, info := r.prof, r.info
	now := r.now()
	if tok, ok := awsconfig.PastedSession(p); ok {
		st := Warning
		found := pastedFound(tok)
		if exp, ok := p.Keys["x_security_token_expires"]; ok {
			if t, ok := session.ParseExpiry(exp.Value); ok {
				found += fmt.Sprintf("; x_security_token_expires (%s) says %s", exp.Where(), session.Left(t, now))
				if !t.After(now) {
					st = Error
				}
			}
		}
		out = append(out, f(st, "Session token stored in a file", found,
			"A session token lasts hours at most. Stored in the file, it must be replaced by hand each time it expires, and until then every command fails with \"The security token included in the request is expired\".",
			staticTokenFix(r.cfg, p, tok, r.userShell())))
	}
	if info.ChainError != "" {
		out = append(out, f(Error, "Broken source_profile chain", info.ChainError,
			"The CLI and SDKs cannot find credentials to assume the role with, and fail before calling AWS.",
			"edit the profile so that each source_profile names a profile with credentials (`awsenv list` shows every chain)"))
	}
	if f, ok := r.checkSSO(); ok {
		out = append(out, f)
	}
	if r.shell.Region == "" && info.Region == "" {
		out = append(out, f(Warning, "No region", fmt.Sprintf("profile %q sets no region and neither AWS_REGION nor AWS_DEFAULT_REGION is set", p.Name),
			"The AWS CLI fails with \"You must specify a region\"; awsenv signs STS calls for us-east-1, which fails where STS is reached through a regional or private endpoint.",
			fmt.Sprintf("add `region = eu-west-1` (your region) under [%s] in %s, or run `aws configure set region eu-west-1 --profile %s`", configHeader(p.Name), r.cfg.ConfigFile, p.Name)))
	}
	if worstOf(out) == OK {
		found := fmt.Sprintf("%s; region %s", info.Label, cmp.Or(r.shell.Region, info.Region))
		if len(info.Chain) > 1 {
			found += "; chain " + strings.Join(info.Chain, " > ")
		}
		out = append([]Finding{f(OK, "Profile", found, "", "")}, out...)
	}
	return out
}

// worstOf is OK for no findings, else the most serious status.
func worstOf(fs []Finding) Status {
	w := OK
	for _, f := range fs {
		switch {
		case f.Status == Error:
			return Error
		case f.Status == Warning:
			w = Warning
		}
	}
	return w
}

func configHeader(name string) string {
	if name == "default" {
		return "default"
	}
	return "profile " + name
}

// staticTokenFix shows the form that never needs editing: long-term keys
// in a source profile, and the role assumed from them.
func staticTokenFix(cfg *awsconfig.Config, p *awsconfig.Profile, tok awsconfig.Value, sh shell.Shell) string {
	base := p.Name + "-base"
	return fmt.Sprintf(`remove the pasted session (aws_session_token, x_security_token_expires, a temporary ASIA… key) at %s and let awsenv fetch sessions. Keep long-term keys (AKIA…, never a session's ASIA… key) in a source profile and assume the role from them:
    # %s
    [%s]
    aws_access_key_id = AKIA…
    aws_secret_access_key = …
    # %s
    [%s]
    role_arn = arn:aws:iam::<account-id>:role/<role-name>
    source_profile = %s
then `+"`%s`"+` renews the session when needed`, tok.Where(), cfg.CredentialsFile, base, cfg.ConfigFile, configHeader(p.Name), base, sh.Eval("use", p.Name))
}

// checkCaches lists the CLI's and awsenv's cached sessions; with --fix it
// deletes the expired ones and keeps the rest.
func (r *run) checkCaches() []Finding {
	dirs := cache.Dirs(r.getenv)
	var out []Finding
	for _, c := range []struct{ name, dir, title string }{
		{cache.NameCLI, dirs[cache.NameCLI], "AWS CLI cache"},
		{cache.NameAwsenv, cache.MFADir(dirs[cache.NameAwsenv]), "awsenv cache"},
	} {
		dir := c.dir
		f := Finding{Check: "cache", Title: c.title}
		if r.opts.Fix && errors.Is(cache.CheckFolder(dir), cache.ErrUntrusted) {
			// The AWS CLI creates its folder with the umask (0775 under
			// 002), which awsenv refuses: at the user's request, make it
			// private when it is theirs (never anyone else's).
			if err := cache.MakePrivate(dir); err == nil {
				f.Fixed = "made " + dir + " private (0700)"
			}
		}
		entries, err := cache.Scan(c.name, dir)
		if err != nil {
			f.Status, f.Found = Warning, fmt.Sprintf("could not read %s: %v", dir, err)
			out = append(out, f)
			continue
		}
		now := r.now()
		var expired, corrupt []cache.File
		for _, e := range entries {
			line := filepath.Base(e.Path)
			switch {
			case e.Err != nil:
				corrupt = append(corrupt, e)
				line += ": unreadable: " + e.Err.Error()
			case e.Expired(now):
				expired = append(expired, e)
				line += fmt.Sprintf(": expired at %s (%s)", e.Expires.UTC().Format(time.RFC3339), session.Left(e.Expires, now))
			default:
				line += fmt.Sprintf(": valid until %s (%s)", e.Expires.UTC().Format(time.RFC3339), session.Left(e.Expires, now))
			}
			f.Details = append(f.Details, line)
		}
		valid := len(entries) - len(expired) - len(corrupt)
		f.Found = fmt.Sprintf("%s: %d valid, %d expired, %d unreadable", dir, valid, len(expired), len(corrupt))
		if len(entries) == 0 {
			f.Found = dir + ": empty"
		}
		f.Status = OK
		if len(expired) > 0 {
			f.Status = Warning
			f.Why = "Expired sessions are useless, and tools that do not check the expiry send them and fail. The usual advice, `rm -r ~/.aws/cli/cache`, also throws away the valid sessions (and costs an MFA code for each)."
			f.Fix = "`awsenv doctor --fix` deletes the expired entries and keeps the valid ones"
			if r.opts.Fix {
				deleted, err := cache.DeleteExpired(expired, now)
				f.Fixed = strings.TrimPrefix(f.Fixed+"; ", "; ") + fmt.Sprintf("deleted %d expired entries, kept %d", len(deleted), len(entries)-len(deleted))
				switch {
				case err != nil:
					f.Fixed += fmt.Sprintf("; could not delete some: %v", err)
				case len(deleted) < len(expired):
					// Only the CLI's own entries are deleted (see
					// cache.DeleteExpired): the rest may be anyone's.
					f.Fixed += fmt.Sprintf("; kept %d expired files that are not AWS CLI credentials entries", len(expired)-len(deleted))
				default:
					f.Status = OK
				}
			}
		}
		if len(corrupt) > 0 {
			f.Status = Warning
			f.Why = strings.TrimSpace(f.Why + " Unreadable entries are treated as missing: the session is fetched again each time.")
			var paths []string
			for _, e := range corrupt {
				paths = append(paths, e.Path)
			}
			f.Fix = strings.TrimPrefix(f.Fix+"; ", "; ") + "remove the unreadable ones: rm " + strings.Join(paths, " ")
		}
		out = append(out, f)
	}
	return out
}

// pastedFound says what shows a pasted session, never the secret.
func pastedFound(v awsconfig.Value) string {
	if strings.HasPrefix(v.Value, "ASIA") && !strings.Contains(v.Value, "\n") && len(v.Value) < 32 {
		return fmt.Sprintf("aws_access_key_id = %s, the key of a temporary session, is stored at %s", creds.MaskKey(v.Value), v.Where())
	}
	return fmt.Sprintf("aws_session_token = %s is stored at %s", creds.DescribeSecret(v.Value), v.Where())
}

// checkPasted finds temporary credentials pasted into any profile of the
// files, the one doctor looks at aside (checkProfile reports it): a plain
// `awsenv doctor` finds the usual cause wherever it is.
func (r *run) checkPasted() []Finding {
	if r.cfg == nil {
		return nil
	}
	var out []Finding
	for _, name := range r.cfg.Profiles() {
		p, _ := r.cfg.Profile(name)
		v, ok := awsconfig.PastedSession(p)
		if !ok || p == r.prof {
			continue
		}
		out = append(out, Finding{Check: "pasted", Status: Warning, Title: fmt.Sprintf("Pasted session in profile %q", name),
			Found: pastedFound(v),
			Why:   "A session lasts hours at most: pasted into a file, it fails with \"The security token included in the request is expired\" once it ends, in every tool that uses the profile.",
			Fix:   staticTokenFix(r.cfg, p, v, r.userShell())})
	}
	if len(out) == 0 {
		out = append(out, Finding{Check: "pasted", Status: OK, Title: "Pasted sessions", Found: "no profile holds a session token or temporary key"})
	}
	return out
}

// checkFiles looks at the permissions and syntax of the shared files, and
// at sections the CLI ignores because of their header.
func (r *run) checkFiles() []Finding {
	var out []Finding
	var syntax *awsconfig.SyntaxError
	if r.cfgErr != nil {
		f := Finding{Check: "files", Status: Error, Title: "Unreadable shared file", Found: r.cfgErr.Error(),
			Why: "The AWS CLI and SDKs stop at this line too: no profile in the file can be used."}
		if errors.As(r.cfgErr, &syntax) {
			f.Title = "Malformed line"
			f.Found = fmt.Sprintf("%s:%d: %s", syntax.File, syntax.Line, syntax.Why)
			f.Fix = fmt.Sprintf("edit line %d of %s (lines are [section] headers, key = value, or # comments)", syntax.Line, syntax.File)
		} else {
			f.Fix = "make the file readable by you: chmod 600 it, and check its owner"
		}
		out = append(out, f)
	}
	for _, file := range []struct {
		path   string
		config bool
	}{{r.configFile, true}, {r.credentialsFile, false}} {
		f := Finding{Check: "files", Title: "Permissions of " + file.path}
		fi, err := os.Stat(file.path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.Status, f.Found = OK, "not present"
		case err != nil:
			f.Status, f.Found = Error, err.Error()
		case runtime.GOOS == "windows":
			// Windows guards files with ACLs; Go's mode bits say nothing.
			f.Status, f.Found = Skipped, "permissions not checked on Windows"
		case fi.Mode().Perm()&0o077 != 0:
			f.Status = Warning
			f.Found = fmt.Sprintf("mode %04o: readable by group or others", fi.Mode().Perm())
			f.Why = "The file can hold secret keys; other accounts on this machine can read them."
			f.Fix = "chmod 600 " + file.path + " (`awsenv doctor --fix` does it)"
			if r.opts.Fix {
				if err := os.Chmod(file.path, 0o600); err != nil {
					f.Fixed = "chmod failed: " + err.Error()
				} else {
					f.Status, f.Fixed = OK, "chmod 600"
				}
			}
		default:
			f.Status, f.Found = OK, fmt.Sprintf("mode %04o", fi.Mode().Perm())
		}
		out = append(out, f)
		if err == nil {
			out = append(out, ignoredSections(file.path, file.config)...)
		}
	}
	return append(out, r.readDifferently(out)...)
}

// readDifferently reports the lines the AWS CLI reads otherwise than the
// SDKs and awsenv (awsconfig.Config.Warnings), but for those a finding
// before already names.
func (r *run) readDifferently(before []Finding) []Finding {
	if r.cfg == nil {
		return nil
	}
	var out []Finding
	for _, w := range r.cfg.Warnings() {
		at := fmt.Sprintf("%s:%d", w.File, w.Line)
		named := false
		for _, f := range before {
			named = named || strings.Contains(f.Found, at+" ")
		}
		if named {
			continue
		}
		out = append(out, Finding{Check: "files", Status: Warning, Title: "Read differently by the AWS CLI", Found: w.String(),
			Why: "awsenv reads the shared files as the AWS SDKs do; here the AWS CLI reads them otherwise, so `aws` and awsenv could disagree.",
			Fix: "rewrite line " + fmt.Sprint(w.Line) + " of " + w.File + " so that both read it alike"})
	}
	return out
}

// ignoredSections names headers that do not mean what they look like: in
// the config file a profile is [profile NAME] (a bare [NAME] is ignored),
// in the credentials file it is [NAME] ([profile NAME] is ignored by the
// SDKs, and a profile called "profile NAME" for the CLI).
func ignoredSections(path string, config bool) []Finding {
	sections, err := awsconfig.ReadSections(path)
	if err != nil {
		return nil // reported by the syntax check
	}
	var out []Finding
	for _, s := range sections {
		kind, rest, _ := strings.Cut(s.Header, " ")
		var found, fix string
		switch {
		case config && s.Header != "default" && rest == "":
			found = fmt.Sprintf("[%s] at %s:%d is ignored: in the config file a profile's header is [profile %s]", s.Header, path, s.Line, s.Header)
			fix = fmt.Sprintf("write [profile %s] on line %d of %s", s.Header, s.Line, path)
		case !config && kind == "profile" && rest != "":
			found = fmt.Sprintf("[%s] at %s:%d is ignored by the AWS SDKs and awsenv (the AWS CLI reads it as a profile named %q): in the credentials file the header is [%s]", s.Header, path, s.Line, s.Header, strings.TrimSpace(rest))
			fix = fmt.Sprintf("write [%s] on line %d of %s", strings.TrimSpace(rest), s.Line, path)
		default:
			continue
		}
		out = append(out, Finding{Check: "files", Status: Warning, Title: "Misnamed section", Found: found,
			Why: "The AWS CLI and SDKs read section names differently in the two files; this profile is not the one you meant.", Fix: fix})
	}
	return out
}

var awsVersion = regexp.MustCompile(`aws-cli/(\d+)\.(\S+)`)

// checkTooling finds the AWS CLI and its major version.
func (r *run) checkTooling(ctx context.Context) Finding {
	f := Finding{Check: "tooling", Title: "AWS CLI"}
	path, err := r.lookPath("aws")
	if err != nil {
		f.Status, f.Found = OK, "`aws` is not on PATH (awsenv does not need it)"
		return f
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Env = append(os.Environ(), "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	m := awsVersion.FindStringSubmatch(string(out))
	if err != nil || m == nil {
		f.Status = Warning
		f.Found = fmt.Sprintf("%s --version did not print a version (%v)", path, err)
		f.Why = "A broken AWS CLI install (often a Python environment that changed) fails in ways that look like credential errors."
		f.Fix = "reinstall the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
		return f
	}
	f.Found = fmt.Sprintf("aws-cli/%s.%s at %s", m[1], m[2], path)
	f.Status = OK
	if m[1] == "1" {
		f.Status = Warning
		f.Title = "AWS CLI v1"
		f.Why = "AWS CLI v1 entered maintenance mode on 15 July 2026 (security and critical fixes only) on its way to end of support; v2 has the SSO, credential and endpoint features this guide assumes. Both read the same ~/.aws files, so awsenv works with either."
		f.Fix = "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration.html"
	}
	return f
}

// Session limits of AssumeRole.
const (
	minSession   = 15 * time.Minute
	maxSession   = 12 * time.Hour
	chainedLimit = time.Hour
)

// checkDuration explains durations STS will refuse.
func (r *run) checkDuration() Finding {
	f := Finding{Check: "duration", Title: "Session duration"}
	info := r.info
	if r.prof == nil || info.Kind != awsconfig.KindRole {
		f.Status, f.Found = OK, "not a role profile: no session duration to check"
		return f
	}
	d, from := creds.DefaultDuration, "the default"
	if info.Duration > 0 {
		d, from = info.Duration, "duration_seconds at "+r.prof.Keys["duration_seconds"].Where()
	}
	if r.opts.Duration > 0 {
		d, from = r.opts.Duration, "--duration"
	}
	f.Found = fmt.Sprintf("%s (%s)", fmtDuration(d), from)
	switch {
	case info.RoleHops > 1 && d > chainedLimit:
		f.Status = Error
		f.Title = "Duration beyond the role chaining limit"
		f.Found = fmt.Sprintf("%s asked (%s), but %s is reached by role chaining (%s)", fmtDuration(d), from, r.profile, strings.Join(info.Chain, " > "))
		f.Why = "A role assumed with another role's session (role chaining) gets at most 1 hour, whatever the role's maximum: STS refuses longer requests with \"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining\"."
		f.Fix = "ask for 1h or less (--duration 1h, or duration_seconds = 3600); for longer sessions assume the role directly from long-term keys (source_profile with aws_access_key_id) or from SSO"
	case d > maxSession:
		f.Status = Error
		f.Title = "Duration beyond 12 hours"
		f.Why = "STS grants role sessions of at most 12 hours."
		f.Fix = "ask for 12h or less"
	case d < minSession:
		f.Status = Error
		f.Title = "Duration under 15 minutes"
		f.Why = "STS refuses role sessions shorter than 15 minutes."
		f.Fix = "ask for 15m or more"
	case d > time.Hour:
		f.Status = OK
		f.Found += "; works only if the role's maximum session duration (1 hour unless raised) allows it"
	default:
		f.Status = OK
	}
	return f
}

// fmtDuration writes 2h rather than 2h0m0s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// checkSSO looks at the cached SSO login of an SSO profile (or of the SSO
// profile at the root of a role chain): the access token's end, whether a
// refresh token renews it silently and until when, the start URL and
// region. A session that is over is a common cause of expired-token
// errors, and `awsenv login PROFILE` is the fix.
func (r *run) checkSSO() (Finding, bool) {
	root := r.info.Root
	if root == nil || (root.Get("sso_session") == "" && root.Get("sso_start_url") == "") {
		return Finding{}, false
	}
	login := "run `" + shell.Cmd("login", r.profile) + "`"
	f := Finding{Check: "profile", Title: "SSO login", Fix: login,
		Why: "SSO profiles get their credentials with the cached SSO login; awsenv renews its access token with the refresh token, but once the session is over the CLI, the SDKs and awsenv fail until you log in again."}
	sess, err := ssocache.ProfileSession(r.cfg, root)
	if err != nil {
		f.Status, f.Found = Error, err.Error()
		f.Fix = "add the missing settings to the [sso-session] section or the profile"
		return f, true
	}
	now := r.now()
	st := ssocache.Store{Dir: cache.Dirs(r.getenv)[cache.NameSSO]}.Status(sess, now)
	about := fmt.Sprintf("%s (start URL %s, region %s)", sess.Label(), sess.StartURL, sess.Region)
	switch {
	case st.Err != nil:
		f.Status, f.Found = Warning, fmt.Sprintf("%s: the cached SSO login %s cannot be used", about, st.Path)
	case st.OtherStartURL != "":
		f.Status, f.Found = Warning, fmt.Sprintf("%s: the cached SSO login %s is for another start URL, %s", about, st.Path, st.OtherStartURL)
	case !st.LoggedIn:
		f.Status, f.Found = Warning, fmt.Sprintf("%s: not logged in (no %s)", about, st.Path)
	case st.Renewable:
		f.Status, f.Why, f.Fix = OK, "", ""
		f.Found = fmt.Sprintf("%s: the access token %s; a refresh token is held, and awsenv renews it silently until the client registration ends %s (or IAM Identity Center ends the session sooner)",
			about, session.Left(st.AccessTokenExpires, now), session.Left(st.RegistrationExpires, now))
	case st.AccessTokenExpires.After(now):
		f.Status, f.Why = OK, ""
		f.Found = fmt.Sprintf("%s: logged in, the access token %s; no refresh token is held, so a new login is needed then", about, session.Left(st.AccessTokenExpires, now))
		f.Fix = "none now; " + login + " when it has expired"
	default:
		f.Status = Error
		f.Found = fmt.Sprintf("%s: the SSO login %s and holds no refresh token that could renew it", about, session.Left(st.AccessTokenExpires, now))
	}
	return f, true
}
