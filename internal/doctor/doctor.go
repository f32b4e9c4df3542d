// Package doctor runs the checks of `awsenv doctor`: every usual cause of
// "The security token included in the request is expired", from stale
// variables in the shell to a clock that is off.
package doctor

import (
	"context"
	"os"
	"os/exec"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/session"
)

// networkBudget bounds the network checks together: doctor answers within
// a few seconds even when the endpoint is a black hole.
const networkBudget = 5 * time.Second

// env is what the checks read from outside: replaced in tests.
type env struct {
	getenv   func(string) string
	now      func() time.Time
	lookPath func(string) (string, error)
	// configFile and credentialsFile override awsconfig.SharedFiles;
	// pathErr is why SharedFiles found none (no home directory).
	configFile, credentialsFile string
	pathErr                     error
}

func osEnv() env {
	cf, crf, err := awsconfig.SharedFiles()
	return env{getenv: os.Getenv, now: time.Now, lookPath: exec.LookPath, configFile: cf, credentialsFile: crf, pathErr: err}
}

// run holds one doctor run's state, shared by the checks.
type run struct {
	env
	opts          Options
	cfg           *awsconfig.Config // nil when the files could not be read
	cfgErr        error
	profile       string
	profileSource string
	prof          *awsconfig.Profile // nil when the profile does not exist
	info          awsconfig.Info
	shell         session.Snapshot
	report        Report
	// date is the STS endpoint's Date header and when it was read, for
	// the clock check; zero if the endpoint did not answer.
	date, sent, received time.Time
	reachErr             error
}

// Run runs every check and returns the report.
func Run(ctx context.Context, opts Options) Report {
	return runWith(ctx, opts, osEnv())
}

func runWith(ctx context.Context, opts Options, e env) Report {
	r := newRun(opts, e)

	r.report.Add(r.checkEnv()...)
	r.report.Add(r.checkPrecedence())
	r.report.Add(r.checkProfile()...)
	r.report.Add(r.checkPasted()...)
	r.report.Add(r.checkCaches()...)

	budget := networkBudget
	if opts.Timeout > 0 && opts.Timeout < budget {
		budget = opts.Timeout
	}
	nctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	reach := r.checkReachability(nctx)
	r.report.Add(r.checkClock())
	r.report.Add(reach)
	r.report.Add(r.checkIdentity(nctx)...)

	r.report.Add(r.checkFiles()...)
	r.report.Add(r.checkTooling(ctx))
	r.report.Add(r.checkDuration())
	return r.report
}

// newRun reads the files and variables every check looks at.
func newRun(opts Options, e env) *run {
	r := &run{env: e, opts: opts}
	r.report.Version = ReportVersion
	r.shell = session.Read(e.getenv, e.now())
	r.profile, r.profileSource = profileName(opts.Profile, e.getenv)
	r.report.Profile, r.report.ProfileSource = r.profile, sourceText(r.profileSource)
	if e.pathErr != nil {
		r.cfgErr = e.pathErr
	} else {
		r.cfg, r.cfgErr = awsconfig.LoadFiles(e.configFile, e.credentialsFile)
	}
	if r.cfg != nil {
		r.prof, _ = r.cfg.Profile(r.profile)
		r.info = r.cfg.Describe(r.profile)
		r.report.Settings = Settings(r.cfg, r.profile, r.profileSource, opts.Profile != "", e.getenv)
	}
	return r
}

func sourceText(source string) string {
	switch source {
	case "--profile":
		return "from --profile"
	case "the default":
		return "the default: no --profile or AWS_PROFILE"
	}
	return "from " + source
}
