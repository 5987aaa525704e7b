// Command nomad-jobspec-check decodes rendered Nomad jobspecs strictly into the jobspec types of
// github.com/hashicorp/nomad/api, the types Nomad's own HCL2 parser decodes into, and prints one line per
// problem (file:line:column, what, which argument or block). It exits 1 when any file has a problem and 2 on
// a usage error. It checks the schema only: Nomad's job validation and placement stay with the Nomad tier.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(paths []string, stdout, stderr io.Writer) int {
	if len(paths) == 0 || strings.HasPrefix(paths[0], "-") {
		fmt.Fprintln(stderr, "usage: nomad-jobspec-check <jobspec.nomad.hcl>...")
		return 2
	}
	parser := hclparse.NewParser()
	failed := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			failed++
			continue
		}
		file, diags := parser.ParseHCL(src, path)
		if !diags.HasErrors() {
			diags = append(diags, checkJobspec(file.Body)...)
		}
		if diags.HasErrors() {
			failed++
			sort.SliceStable(diags, func(i, j int) bool { return before(diags[i], diags[j]) })
			for _, d := range diags {
				fmt.Fprintln(stderr, formatDiagnostic(path, d))
			}
			continue
		}
		fmt.Fprintf(stdout, "%s: decodes into Nomad's jobspec types\n", path)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "nomad-jobspec-check: %d of %d jobspecs do not decode into Nomad's jobspec types\n", failed, len(paths))
		return 1
	}
	return 0
}

// before orders diagnostics by their place in the file, so the output does not depend on map order.
func before(a, b *hcl.Diagnostic) bool {
	if a.Subject == nil || b.Subject == nil {
		return a.Subject != nil
	}
	return a.Subject.Start.Byte < b.Subject.Start.Byte
}

// formatDiagnostic renders one diagnostic on one line: file:line:column: summary; detail.
func formatDiagnostic(path string, d *hcl.Diagnostic) string {
	where := path
	if d.Subject != nil {
		where = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += "; " + d.Detail
	}
	return fmt.Sprintf("%s: %s", where, strings.Join(strings.Fields(msg), " "))
}
