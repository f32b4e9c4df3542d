package awsconfig

import "os"

// ReadSections parses one shared file as it is written: every section
// whatever its header, including those the CLI ignores (a bare [name] in
// the config file, [profile name] in the credentials file), so that
// `awsenv doctor` and `awsenv list` can point at them.
func ReadSections(path string) ([]*Section, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseINI(path, data)
}
