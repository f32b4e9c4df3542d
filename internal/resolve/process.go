package resolve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/session"
)

// credential_process is run by awsenv itself rather than by the SDK's
// processcreds: so that its reply is read with awsenv's one expiry parser
// (the AWS CLI accepts "+0000" offsets, which processcreds refuses), so
// that a reply that does not parse is never quoted back (it holds the
// secret key), and so that a profile whose process runs awsenv for the
// same profile stops instead of forking without end.

// ProcessChainVar carries, into a credential_process, the profiles whose
// processes are already running above it.
const ProcessChainVar = "AWSENV_CREDENTIAL_PROCESS_CHAIN"

const (
	processTimeout = time.Minute // the SDKs' default: a process may ask for MFA
	maxProcessOut  = 1 << 20
	maxProcessNest = 8
)

// checkProcessChain refuses to resolve a profile whose credential_process
// is already running it.
func checkProcessChain(profile string) error {
	v := os.Getenv(ProcessChainVar)
	if v == "" {
		return nil
	}
	chain := strings.Split(v, ",")
	if slices.Contains(chain, profile) || len(chain) >= maxProcessNest {
		return fmt.Errorf("profile %q: credential_process loop: %s > %s; a profile's credential_process must not run `awsenv export` for itself", profile, strings.Join(chain, " > "), profile)
	}
	return nil
}

// processReply is the credential_process output format, version 1.
type processReply struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
	AccountID       string `json:"AccountId"`
}

// process runs the profile's credential_process.
func (r *Resolver) process(ctx context.Context, p *awsconfig.Profile) (aws.Credentials, error) {
	v := p.Keys["credential_process"]
	ctx, cancel := context.WithTimeout(ctx, processTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "cmd.exe", "/C", v.Value)
	} else {
		cmd = exec.CommandContext(ctx, "/bin/sh", "-c", v.Value)
	}
	chain := os.Getenv(ProcessChainVar)
	if chain != "" {
		chain += ","
	}
	cmd.Env = append(os.Environ(), ProcessChainVar+"="+chain+p.Name)
	// The process may ask the person for an MFA code or a touch.
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: maxProcessOut}
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	fail := func(why string) error {
		return fmt.Errorf("profile %q: credential_process (%s) %s", p.Name, v.Where(), why)
	}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return aws.Credentials{}, fail(fmt.Sprintf("did not answer within %s", processTimeout))
	case errors.As(err, &exit):
		return aws.Credentials{}, fail(fmt.Sprintf("exited with status %d; run it yourself to see why", exit.ExitCode()))
	case errors.Is(err, errTooLong):
		return aws.Credentials{}, fail(fmt.Sprintf("wrote more than %d KiB", maxProcessOut>>10))
	case err != nil:
		return aws.Credentials{}, fail("could not be started: " + err.Error())
	}
	var reply processReply
	if err := json.Unmarshal(out.Bytes(), &reply); err != nil {
		// Not the decoder's message: it can quote the value it choked on.
		return aws.Credentials{}, fail("wrote something that is not the credential_process JSON (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration)")
	}
	switch {
	case reply.Version != 1:
		return aws.Credentials{}, fail(fmt.Sprintf("answered with Version %d; only Version 1 exists", reply.Version))
	case reply.AccessKeyID == "" || reply.SecretAccessKey == "":
		return aws.Credentials{}, fail("answered without AccessKeyId or SecretAccessKey")
	}
	c := aws.Credentials{
		AccessKeyID:     reply.AccessKeyID,
		SecretAccessKey: reply.SecretAccessKey,
		SessionToken:    reply.SessionToken,
		AccountID:       reply.AccountID,
		Source:          "credential_process",
	}
	if reply.Expiration != "" {
		t, ok := session.ParseExpiry(reply.Expiration)
		if !ok {
			return aws.Credentials{}, fail("answered with an Expiration that is not an RFC 3339 time")
		}
		c.CanExpire, c.Expires = true, t
	}
	return c, nil
}

var errTooLong = errors.New("output too long")

// limitedWriter fails once more than n bytes were written.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	if len(b) > l.n {
		return 0, errTooLong
	}
	l.n -= len(b)
	return l.w.Write(b)
}

// readSmall reads a file of at most 64 KiB: a token, not a data set.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10+1))
	if err != nil {
		return nil, err
	}
	if len(b) > 64<<10 {
		return nil, fmt.Errorf("%s is larger than 64 KiB", path)
	}
	return b, nil
}
