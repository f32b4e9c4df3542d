package resolve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/shell"
)

// MFA sessions: GetSessionToken with the code, once, then every role
// behind the same source profile and device is assumed with the session.
const (
	// MFASessionKey is the profile key that sets the MFA session's length,
	// read from the role's profile, else from its source profile.
	MFASessionKey = "awsenv_mfa_session_duration"
	// DefaultMFASession is a working day, as aws-vault and awsume use.
	DefaultMFASession = 12 * time.Hour
	// GetSessionToken's limits for an IAM user.
	minMFASession = 15 * time.Minute
	maxMFASession = 36 * time.Hour
)

// lockWait bounds the wait for another awsenv fetching the same
// credentials: its STS calls take at most a few timeouts, and a person
// typing an MFA code in another pane needs some seconds more.
func (r *Resolver) lockWait() time.Duration {
	return 30*time.Second + 3*r.req.Timeout
}

// role returns credentials for a role profile with a source_profile, from
// the AWS CLI's cache when they are valid there, else from STS, storing
// them for the CLI and the next awsenv.
func (r *Resolver) role(ctx context.Context, h *hop, i int) (aws.Credentials, error) {
	store, key, ok := r.roleCache(h)
	if !ok {
		c, _, err := r.fetchRole(ctx, h, i)
		return c, err
	}
	c, _, err := r.cached(ctx, store, key, h.name(), r.req.Refresh, "the credentials of profile "+h.name(), func() (aws.Credentials, cache.Entry, error) {
		return r.fetchRole(ctx, h, i)
	})
	return c, err
}

// cached returns the entry of store under key while this request may take
// it (usable), else what fetch returns, stored under key. One process per
// key fetches at a time; the others wait and take what it stored. what
// names the entry in a warning. hit says the answer came from the cache.
func (r *Resolver) cached(ctx context.Context, store cache.Store, key, profile string, refresh bool, what string, fetch func() (aws.Credentials, cache.Entry, error)) (c aws.Credentials, hit bool, err error) {
	usable := func(e cache.Entry) bool { return r.usable(e, refresh) }
	if e, ok := store.Get(key); ok && usable(e) {
		return credsOf(e), true, nil
	}
	var found cache.Entry
	unlock, waited, err := r.lock(ctx, store, key, profile, func() bool {
		e, ok := store.Get(key)
		found = e
		return ok && usable(e)
	})
	if err != nil {
		return aws.Credentials{}, false, err
	}
	if waited {
		return credsOf(found), true, nil
	}
	defer unlock()
	if e, ok := store.Get(key); ok && usable(e) {
		return credsOf(e), true, nil
	}
	c, e, err := fetch()
	if err != nil {
		return aws.Credentials{}, false, err
	}
	if err := store.Put(key, e); err != nil {
		warn("could not store %s in %s: %v", what, store.Dir, err)
	}
	return c, false, nil
}

// justFetched is how long before a command starts an entry still counts as
// fetched for it: sixteen panes refreshing "at once" start over some tens
// of milliseconds, and the first may have stored new credentials before
// the last has begun. Credentials a few seconds old are as new as any.
const justFetched = 5 * time.Second

// usable reports whether this request may take e. An entry written since
// this command started was fetched for it by another awsenv that held the
// lock, and is taken while it lasts, even for sessions shorter than the
// margin; one written just before it started, also with --refresh (it is
// one of many shells refreshing at once), while it has more than the
// margin left; an older one only without --refresh.
func (r *Resolver) usable(e cache.Entry, refresh bool) bool {
	now := time.Now()
	switch {
	case !e.Written.Before(r.req.Started):
		return e.Credentials.Expiration.After(now)
	case !e.Written.Before(r.req.Started.Add(-justFetched)):
		return e.Valid(now)
	}
	return !refresh && e.Valid(now)
}

// roleCache returns the AWS CLI's cache file for the role h, keyed from
// the profile as the CLI reads it, so that the CLI and awsenv share it.
func (r *Resolver) roleCache(h *hop) (cache.Store, string, bool) {
	args, ok := cache.ProfileArgs(h.Profile, r.req.Duration)
	if !ok || args.RoleArn != h.RoleARN.Value {
		return cache.Store{}, "", false
	}
	key, err := args.Key()
	if err != nil {
		return cache.Store{}, "", false
	}
	store, err := cache.CLIStore()
	if err != nil {
		return cache.Store{}, "", false
	}
	return store, key, true
}

// lock takes the lock for key, or reports hit when done finds what the
// holder stored. Failing to lock is never fatal: the cost of going on is
// one more STS call. Only ctx ending stops the wait with an error.
func (r *Resolver) lock(ctx context.Context, store cache.Store, key, profile string, done func() bool) (unlock func(), hit bool, err error) {
	start := time.Now()
	told := false
	unlock, hit, err = store.LockUnless(key, r.lockWait(), func() bool {
		if ctx.Err() != nil || done() {
			return true
		}
		if !told && time.Since(start) > 2*time.Second {
			told = true
			fmt.Fprintf(os.Stderr, "awsenv: waiting for another awsenv fetching the credentials of profile %q...\n", profile)
		}
		return false
	})
	switch {
	case hit && ctx.Err() != nil:
		return nil, false, fmt.Errorf("profile %q: gave up waiting for another awsenv fetching the same credentials: %w", profile, ctx.Err())
	case hit:
		return nil, true, nil
	case errors.Is(err, cache.ErrLockTimeout):
		warn("%v; going on without waiting any longer", err)
	case err != nil && !errors.Is(err, errors.ErrUnsupported):
		warn("%v; going on without a lock", err)
	}
	if unlock == nil {
		unlock = func() {}
	}
	return unlock, false, nil
}

// fetchRole resolves the role's source and assumes the role. With MFA and
// long-term source keys, it goes through an MFA session, so that the code
// is asked once per session, not once per role and hour.
func (r *Resolver) fetchRole(ctx context.Context, h *hop, i int) (aws.Credentials, cache.Entry, error) {
	src, chained, err := r.source(ctx, h, i)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	// GetSessionToken accepts only an IAM user's long-term keys: with
	// temporary source credentials the code goes to AssumeRole, as the CLI
	// sends it.
	if h.MFASerial.Value == "" || src.SessionToken != "" {
		return r.assumeRole(ctx, h, src, chained, h.MFASerial.Value != "")
	}
	for attempt := 0; ; attempt++ {
		session, cached, err := r.mfaSession(ctx, h, src)
		if err != nil {
			return aws.Credentials{}, cache.Entry{}, err
		}
		c, e, err := r.assumeRole(ctx, h, session, chained, false)
		// A cached session that STS no longer takes (its user's keys were
		// rotated or deactivated): drop it and ask for a code once more.
		if err != nil && cached && attempt == 0 && rejected(err) {
			r.dropMFASession(h, src)
			continue
		}
		return c, e, err
	}
}

// rejected reports whether STS refused the credentials that signed.
func rejected(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch":
		return true
	}
	return false
}

func mfaKey(h *hop, src aws.Credentials) string {
	return cache.MFASessionKey(h.sourceName(), src.AccessKeyID, h.MFASerial.Value)
}

func (r *Resolver) dropMFASession(h *hop, src aws.Credentials) {
	if store, err := cache.MFAStore(); err == nil {
		store.Delete(mfaKey(h, src))
	}
}

// mfaSession returns an MFA session for the source keys src and the
// device of sc: the cached one while valid, else a new one for a code.
// cached says which.
func (r *Resolver) mfaSession(ctx context.Context, h *hop, src aws.Credentials) (session aws.Credentials, cached bool, err error) {
	store, storeErr := cache.MFAStore()
	if storeErr != nil {
		c, _, err := r.getSessionToken(ctx, h, src)
		return c, false, err
	}
	return r.cached(ctx, store, mfaKey(h, src), h.name(), false, "the MFA session for "+h.MFASerial.Value, func() (aws.Credentials, cache.Entry, error) {
		return r.getSessionToken(ctx, h, src)
	})
}

// getSessionToken asks for a code and opens an MFA session.
func (r *Resolver) getSessionToken(ctx context.Context, h *hop, src aws.Credentials) (aws.Credentials, cache.Entry, error) {
	d, err := r.mfaSessionDuration(h)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	code, err := r.mfaCode(h.name(), h.MFASerial.Value)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.req.Timeout)
	defer cancel()
	client, err := r.clients.sts(staticProvider{src})
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	out, err := client.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		DurationSeconds: aws.Int32(int32(d / time.Second)),
		SerialNumber:    aws.String(h.MFASerial.Value),
		TokenCode:       aws.String(code),
	})
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, withCause(r.explainMFA(h, err, d), err)
	}
	if out.Credentials == nil {
		return aws.Credentials{}, cache.Entry{}, fmt.Errorf("profile %q: STS at %s answered GetSessionToken without credentials", h.name(), r.target)
	}
	e := entryOf(out.Credentials)
	return credsOf(e), e, nil
}

// mfaSessionDuration reads awsenv_mfa_session_duration from the role's
// profile, else its source profile: a Go duration ("12h") or seconds.
func (r *Resolver) mfaSessionDuration(h *hop) (time.Duration, error) {
	profiles := []*awsconfig.Profile{h.Profile}
	if h.next != nil {
		profiles = append(profiles, h.next.Profile)
	}
	for _, p := range profiles {
		name := p.Name
		v, ok := p.Keys[MFASessionKey]
		if !ok || v.Value == "" {
			continue
		}
		d, err := time.ParseDuration(v.Value)
		if err != nil {
			n, nerr := strconv.Atoi(v.Value)
			d, err = time.Duration(n)*time.Second, nerr
		}
		if err != nil || d < minMFASession || d > maxMFASession {
			return 0, fmt.Errorf("profile %q: %s = %s at %s is not a duration from %s to %s (GetSessionToken's limits); write e.g. 12h or 43200", name, MFASessionKey, v.Value, v.Where(), minMFASession, maxMFASession)
		}
		return d, nil
	}
	return DefaultMFASession, nil
}

// explainMFA says what a failed GetSessionToken means.
func (r *Resolver) explainMFA(h *hop, err error, d time.Duration) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorMessage()
		switch code := ae.ErrorCode(); {
		case SkewedClock(err):
			return fmt.Errorf("profile %q: STS refused to open an MFA session as signed at the wrong time (%s: %s): this machine's clock is more than 5 minutes off; set it right (e.g. `sudo timedatectl set-ntp true`), then try again", h.name(), code, msg)
		case strings.Contains(msg, "MultiFactorAuthentication") || strings.Contains(strings.ToLower(msg), "mfa"):
			return fmt.Errorf("profile %q: MFA device %s did not accept the code (STS: %s); wait for the next code and try again, and check mfa_serial", h.name(), h.MFASerial.Value, msg)
		case strings.Contains(msg, "DurationSeconds") || strings.Contains(strings.ToLower(msg), "duration"):
			return fmt.Errorf("profile %q: STS refused a %s MFA session: %s; set %s between 15m and 36h", h.name(), d, msg, MFASessionKey)
		case code == "ExpiredToken" || code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
			return fmt.Errorf("profile %q: STS rejected the keys of source profile %q when opening an MFA session (%s: %s); check them, or run `%s`", h.name(), h.sourceName(), code, msg, shell.Cmd("doctor", "--profile", h.name()))
		case code == "AccessDenied":
			return fmt.Errorf("profile %q: source profile %q may not open an MFA session with %s (%s); check the user's policy allows sts:GetSessionToken", h.name(), h.sourceName(), h.MFASerial.Value, msg)
		}
		return fmt.Errorf("profile %q: opening an MFA session with %s at %s failed: %s: %s", h.name(), h.MFASerial.Value, r.target, ae.ErrorCode(), msg)
	}
	return fmt.Errorf("profile %q: could not reach STS at %s to open an MFA session: %w; check the network, proxy variables and the endpoint, or run `%s`", h.name(), r.target, unwrapNet(err), shell.Cmd("doctor", "--profile", h.name()))
}

func entryOf(c *types.Credentials) cache.Entry {
	return cache.Entry{Credentials: cache.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expiration:      aws.ToTime(c.Expiration).UTC(),
	}}
}

func credsOf(e cache.Entry) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     e.Credentials.AccessKeyID,
		SecretAccessKey: e.Credentials.SecretAccessKey,
		SessionToken:    e.Credentials.SessionToken,
		CanExpire:       true,
		Expires:         e.Credentials.Expiration,
		AccountID:       e.Credentials.AccountID,
	}
}

// withCause keeps the STS error reachable with errors.As behind the
// sentence that explains it.
func withCause(explained, cause error) error {
	return &causeError{explained, cause}
}

type causeError struct{ explained, cause error }

func (e *causeError) Error() string   { return e.explained.Error() }
func (e *causeError) Unwrap() []error { return []error{e.explained, e.cause} }

// warn tells the user about something that did not stop awsenv.
func warn(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "awsenv: warning: "+format+"\n", args...)
}
