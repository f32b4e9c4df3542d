package sso

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// DefaultProfileTemplate names generated profiles: the account's name and
// the role, e.g. "Production-ReadOnly".
const DefaultProfileTemplate = "{account}-{role}"

// ProfileOptions shape the generated profiles.
type ProfileOptions struct {
	// Template names each profile; "" is DefaultProfileTemplate. It may
	// hold {account} (the account's name), {account_id}, {role} and
	// {session}; the result is made a safe profile name (SafeProfileName).
	Template string
	// Region is each profile's region; "" is the session's sso_region.
	Region string
	// Taken are profile names defined outside the block, which a
	// generated profile must not take.
	Taken []string
}

// GeneratedProfile is one profile of the block.
type GeneratedProfile struct {
	Name        string
	AccountID   string
	AccountName string
	Role        string
	Region      string
}

// SafeProfileName makes s a profile name that needs no quoting in any
// shell and reads the same in every tool: letters, digits, '.', '_' and
// '-', with every run of other characters (spaces, slashes, brackets,
// non-ASCII) made one '-', and no '-' or '.' at either end.
func SafeProfileName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok || r == '-' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	return strings.Trim(b.String(), "-.")
}

// PlanProfiles names a profile for each account role. Names that clash,
// with each other or with o.Taken, get "-ACCOUNT_ID" added, and a number
// after that if they still clash (two roles whose names differ only in
// characters a profile name cannot hold). The plan is sorted by name and
// the same for the same input, so that a rewrite changes only what
// changed.
func PlanProfiles(sess ssocache.Session, roles []AccountRole, o ProfileOptions) ([]GeneratedProfile, error) {
	tmpl := o.Template
	if tmpl == "" {
		tmpl = DefaultProfileTemplate
	}
	if !strings.Contains(tmpl, "{role}") || !strings.Contains(tmpl, "{account}") && !strings.Contains(tmpl, "{account_id}") {
		return nil, fmt.Errorf("profile name template %q must hold {role} and {account} or {account_id}, or profiles would share a name", tmpl)
	}
	region := o.Region
	if region == "" {
		region = sess.Region
	}
	sorted := append([]AccountRole(nil), roles...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Account.Name != b.Account.Name {
			return a.Account.Name < b.Account.Name
		}
		if a.Account.ID != b.Account.ID {
			return a.Account.ID < b.Account.ID
		}
		return a.Role < b.Role
	})
	out := make([]GeneratedProfile, len(sorted))
	count := map[string]int{}
	for i, ar := range sorted {
		name := strings.NewReplacer(
			"{account}", ar.Account.Name,
			"{account_id}", ar.Account.ID,
			"{role}", ar.Role,
			"{session}", sess.Name,
		).Replace(tmpl)
		name = SafeProfileName(name)
		if name == "" {
			name = SafeProfileName(ar.Account.ID + "-" + ar.Role)
		}
		out[i] = GeneratedProfile{Name: name, AccountID: ar.Account.ID, AccountName: ar.Account.Name, Role: ar.Role, Region: region}
		count[name]++
	}
	taken := map[string]bool{}
	for _, n := range o.Taken {
		taken[n] = true
	}
	for i := range out {
		if count[out[i].Name] > 1 || taken[out[i].Name] {
			out[i].Name = SafeProfileName(out[i].Name + "-" + out[i].AccountID)
		}
	}
	used := map[string]bool{}
	for n := range taken {
		used[n] = true
	}
	for i := range out {
		base, name := out[i].Name, out[i].Name
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		out[i].Name = name
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// BlockID is the id of the session's block in the config file.
func BlockID(sess ssocache.Session) string {
	if sess.Name != "" {
		return "sso-session " + sess.Name
	}
	return "sso " + sess.StartURL
}

// ProfilesBlock is the text of the block: a comment, then one [profile]
// section per generated profile, LF line ends.
func ProfilesBlock(sess ssocache.Session, ps []GeneratedProfile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by `awsenv sso profiles --write` for %s; the next run replaces this block.\n", sess.Label())
	for _, p := range ps {
		fmt.Fprintf(&b, "[profile %s]\n", p.Name)
		if sess.Name != "" {
			fmt.Fprintf(&b, "sso_session = %s\n", sess.Name)
		} else {
			fmt.Fprintf(&b, "sso_start_url = %s\nsso_region = %s\n", sess.StartURL, sess.Region)
		}
		fmt.Fprintf(&b, "sso_account_id = %s\nsso_role_name = %s\n", p.AccountID, p.Role)
		// The account's name, for the picker's search; the SDKs ignore the
		// key. The portal's text is one line here, whatever it holds.
		if name := strings.Join(strings.FieldsFunc(p.AccountName, func(r rune) bool { return r < 0x20 || r == 0x7f || unicode.IsSpace(r) }), " "); name != "" {
			fmt.Fprintf(&b, "sso_account_name = %s\n", name)
		}
		if p.Region != "" {
			fmt.Fprintf(&b, "region = %s\n", p.Region)
		}
	}
	return b.String()
}

// Profiles lists every account role of the session and plans a profile
// for each, keeping clear of the names the config file at configPath
// defines outside the session's block. It returns the plan and the block
// WriteProfiles would write.
func (c *Client) Profiles(ctx context.Context, configPath string, o ProfileOptions) ([]GeneratedProfile, string, error) {
	roles, err := c.AccountRoles(ctx)
	if err != nil {
		return nil, "", err
	}
	taken, err := takenNames(configPath, c.opts.Session)
	if err != nil {
		return nil, "", err
	}
	o.Taken = append(o.Taken, taken...)
	ps, err := PlanProfiles(c.opts.Session, roles, o)
	if err != nil {
		return nil, "", err
	}
	return ps, ProfilesBlock(c.opts.Session, ps), nil
}

func takenNames(configPath string, sess ssocache.Session) ([]string, error) {
	data, err := os.ReadFile(configPath)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", configPath, err)
	}
	return awsconfig.ProfilesOutsideBlock(data, configPath, BlockID(sess))
}

// WriteProfiles merges the block into the config file at configPath
// (awsconfig.WriteBlock: only the block's lines change, a backup first, an
// atomic write keeping the mode). It returns the backup's path, "" when
// nothing changed.
func WriteProfiles(configPath string, sess ssocache.Session, block string, now time.Time) (backup string, changed bool, err error) {
	return awsconfig.WriteBlock(configPath, BlockID(sess), block, now)
}
