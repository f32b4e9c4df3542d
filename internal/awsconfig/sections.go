package awsconfig

// ReadSections parses one shared file as it is written: every section
// whatever its header, including those the CLI ignores (a bare [name] in
// the config file, [profile name] in the credentials file), so that
// `awsenv doctor` and `awsenv list` can point at them. It reads as
// LoadFiles does, with the same limits; a missing file is an
// fs.ErrNotExist error.
func ReadSections(path string) ([]*Section, error) {
	text, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return parseSections(path, text)
}

// parseSections parses text, the content of file path, into its sections.
func parseSections(path, text string) ([]*Section, error) {
	p, err := parse(path, text)
	if err != nil {
		return nil, err
	}
	out := make([]*Section, len(p.sections))
	for i := range p.sections {
		out[i] = p.section(i)
	}
	return out, nil
}
