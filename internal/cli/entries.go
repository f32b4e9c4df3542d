package cli

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/session"
)

// cachedSession is a session found for a profile in one of the caches.
type cachedSession struct {
	Cache   string    `json:"cache"` // aws-cli, sso, env
	Expires time.Time `json:"expires"`
	Expired bool      `json:"expired"`
	// SecondsLeft is negative once expired.
	SecondsLeft int64 `json:"seconds_left"`
}

// listEntry is one row of `awsenv list`.
type listEntry struct {
	Name       string         `json:"name"`
	Kind       awsconfig.Kind `json:"kind"`
	Label      string         `json:"description"`
	Region     string         `json:"region,omitempty"`
	Chain      []string       `json:"chain"`
	ChainError string         `json:"chain_error,omitempty"`
	MFA        bool           `json:"mfa"`
	MFASerials []string       `json:"mfa_serials,omitempty"`
	RoleARN    string         `json:"role_arn,omitempty"`
	// Files are the sections that define the profile, as file:line.
	Files  []string        `json:"files"`
	Cached []cachedSession `json:"cached"`
	// Current is set for the profile this shell uses.
	Current bool `json:"current"`
}

// listEntries describes every profile of cfg, in name order.
func listEntries(cfg *awsconfig.Config, getenv func(string) string, now time.Time) []listEntry {
	dirs := cache.Dirs(getenv)
	sh := session.Read(getenv, now)
	current := sh.AwsenvProfile
	if current == "" {
		current = sh.Profile
	}
	// Each cache folder is read once, not a file a profile: a config of
	// SSO-generated profiles holds thousands.
	files := map[string]cache.File{}
	// The roles the AWS CLI's cache holds sessions of (account/role), and
	// whether it holds files that do not say (SSO's, partial ones): a cache
	// key, a hash, is worked out only for a profile that can have a file.
	roles, roleless := map[string]bool{}, false
	for _, d := range []struct{ name, dir string }{
		{cache.NameCLI, dirs[cache.NameCLI]},
		{cache.NameAwsenv, cache.MFADir(dirs[cache.NameAwsenv])},
		{cache.NameSSO, dirs[cache.NameSSO]},
	} {
		scanned, _ := cache.Scan(d.name, d.dir)
		for _, f := range scanned {
			files[f.Path] = f
			if d.name != cache.NameCLI {
				continue
			}
			if f.AssumedRole == "" {
				roleless = true
			} else {
				roles[assumedRole(f.AssumedRole)] = true
			}
		}
	}
	names := cfg.Profiles()
	out := make([]listEntry, 0, len(names))
	for _, name := range names {
		info := cfg.Describe(name)
		p, _ := cfg.Profile(name)
		e := listEntry{
			Name:       name,
			Kind:       info.Kind,
			Label:      info.Label,
			Region:     info.Region,
			Chain:      info.Chain,
			ChainError: info.ChainError,
			MFA:        len(info.MFASerials) > 0,
			MFASerials: info.MFASerials,
			RoleARN:    info.RoleARN,
			Current:    name == current,
			Files:      []string{},
			Cached:     []cachedSession{},
		}
		for _, s := range p.Sections {
			e.Files = append(e.Files, awsconfig.Value{File: s.File, Line: s.Line}.Where())
		}
		add := func(cache string, t time.Time) {
			e.Cached = append(e.Cached, cachedSession{
				Cache: cache, Expires: t.UTC(), Expired: session.SecondsLeft(t, now) <= 0,
				SecondsLeft: session.SecondsLeft(t, now),
			})
		}
		if name == sh.AwsenvProfile && sh.HasExpiry() && sh.AccessKeyID != "" {
			add("env", sh.Expires)
		}
		found := func(name, path string) {
			if ce, ok := files[path]; ok && ce.Err == nil && !ce.Expires.IsZero() {
				add(name, ce.Expires)
			}
		}
		if roleless || roles[assumedRole(info.RoleARN)] {
			for _, path := range cliCacheFiles(dirs[cache.NameCLI], p, info.Kind) {
				found(cache.NameCLI, path)
			}
		}
		if path := mfaSessionFile(cfg, dirs[cache.NameAwsenv], p); path != "" {
			found("awsenv-mfa", path)
		}
		if info.Kind == awsconfig.KindSSO {
			if path := cache.SSOTokenFile(dirs[cache.NameSSO], p); path != "" {
				found(cache.NameSSO, path)
			}
		}
		out = append(out, e)
	}
	return out
}

// cliCacheFiles names the files the AWS CLI caches this profile's
// session in.
func cliCacheFiles(dir string, p *awsconfig.Profile, kind awsconfig.Kind) []string {
	switch kind {
	case awsconfig.KindRole:
		args, ok := cache.ProfileArgs(p, 0)
		if !ok {
			return nil
		}
		key, err := args.Key()
		if err != nil {
			return nil
		}
		return []string{filepath.Join(dir, key+".json")}
	case awsconfig.KindSSO:
		return []string{filepath.Join(dir, cache.SSOKey(p)+".json")}
	}
	return nil
}

// mfaSessionFile is awsenv's cached MFA session for a role profile with
// mfa_serial whose source profile holds keys (see resolve's cache).
func mfaSessionFile(cfg *awsconfig.Config, dir string, p *awsconfig.Profile) string {
	serial, src := p.Get("mfa_serial"), p.Get("source_profile")
	if serial == "" || src == "" {
		return ""
	}
	sp, ok := cfg.Profile(src)
	if !ok || sp.Get("aws_access_key_id") == "" {
		return ""
	}
	return cache.Store{Dir: cache.MFADir(dir)}.Path(cache.MFASessionKey(src, sp.Get("aws_access_key_id"), serial))
}

// assumedRole is "ACCOUNT/ROLE" of a role ARN or of an assumed-role ARN
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), the role's name
// without its path; "" for anything else.
func assumedRole(arn string) string {
	account := awsconfig.ARNAccount(arn)
	if account == "" {
		return ""
	}
	if role := awsconfig.RoleName(arn); role != "" {
		return account + "/" + role
	}
	_, rest, ok := strings.Cut(arn, ":assumed-role/")
	if !ok {
		return ""
	}
	role, _, _ := strings.Cut(rest, "/")
	return account + "/" + role
}
