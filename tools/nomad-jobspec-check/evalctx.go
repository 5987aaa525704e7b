package main

// The evaluation context of a jobspec expression. Nomad's parser leaves a variable it does not know as the
// text `${name}` for the client to interpolate at run time (node.*, attr.*, meta.*, NOMAD_* and the task's
// environment); this context does the same for those names, and names anything else as an unknown variable.

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Roots Nomad interpolates at run time; upper-case names are the task's environment (NOMAD_*, …). `device` is
// what a device block's constraint or affinity reads (${device.attr.memory}, ${device.model}, …).
var runtimeRoots = map[string]bool{"node": true, "attr": true, "meta": true, "env": true, "device": true}
var environmentName = regexp.MustCompile(`^(?:NOMAD_[A-Za-z0-9_]+|[A-Z_][A-Z0-9_]*)$`)

// The HCL2 functions of Nomad's parser that need no file system (jobspec2/functions.go has the same names).
var functions = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
	"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
	"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
	"csvdecode": stdlib.CSVDecodeFunc, "distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
	"flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc, "format": stdlib.FormatFunc,
	"formatdate": stdlib.FormatDateFunc, "formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc,
	"join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
	"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "log": stdlib.LogFunc, "lookup": stdlib.LookupFunc,
	"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc, "min": stdlib.MinFunc,
	"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "range": stdlib.RangeFunc, "regex": stdlib.RegexFunc,
	"regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc, "replace": stdlib.ReplaceFunc,
	"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
	"setproduct": stdlib.SetProductFunc, "setunion": stdlib.SetUnionFunc, "signum": stdlib.SignumFunc,
	"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc,
	"substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
	"trimprefix": stdlib.TrimPrefixFunc, "trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc,
	"upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
}

// runtimeEvalContext is the context an expression evaluates in: its run-time variables as `${…}` text.
func runtimeEvalContext(expr hcl.Expression) (*hcl.EvalContext, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	tree := map[string]any{}
	for _, traversal := range expr.Variables() {
		root := traversal.RootName()
		if !runtimeRoots[root] && !environmentName.MatchString(root) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown variable",
				Detail:   fmt.Sprintf("There is no variable named %q: Nomad interpolates only node.*, attr.*, meta.*, env.*, device.* and the task's environment (NOMAD_*, …) at run time", root),
				Subject:  traversal.SourceRange().Ptr(),
			})
			continue
		}
		path := []string{root}
		for _, step := range traversal[1:] {
			switch s := step.(type) {
			case hcl.TraverseAttr:
				path = append(path, s.Name)
			case hcl.TraverseIndex:
				if s.Key.Type() == cty.String {
					path = append(path, s.Key.AsString())
					continue
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid run-time variable",
					Detail:   "A run-time variable is indexed by name only",
					Subject:  traversal.SourceRange().Ptr(),
				})
			}
		}
		insertPath(tree, path)
	}
	vars := map[string]cty.Value{}
	for name, sub := range tree {
		vars[name] = toCty(sub, []string{name})
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions}, diags
}

// insertPath adds a variable's path to the tree of names; a name used both whole and with attributes keeps
// its attributes.
func insertPath(tree map[string]any, path []string) {
	node := tree
	for i, name := range path {
		if i == len(path)-1 {
			if _, ok := node[name]; !ok {
				node[name] = nil
			}
			return
		}
		child, ok := node[name].(map[string]any)
		if !ok {
			child = map[string]any{}
			node[name] = child
		}
		node = child
	}
}

func toCty(node any, path []string) cty.Value {
	children, ok := node.(map[string]any)
	if !ok {
		return cty.StringVal("${" + strings.Join(path, ".") + "}")
	}
	attrs := map[string]cty.Value{}
	for name, child := range children {
		attrs[name] = toCty(child, append(append([]string{}, path...), name))
	}
	return cty.ObjectVal(attrs)
}
