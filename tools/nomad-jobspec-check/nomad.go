package main

// Where Nomad's HCL2 jobspec parser (jobspec2) and the `hcl:` tags of its api types differ, each case with
// the reason. The rest of a jobspec decodes by the tags alone (decode.go).

import (
	"fmt"
	"reflect"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/nomad/api"
)

type blockHooks struct {
	// Map blocks Nomad also accepts as an argument (`meta = { … }`), read before the rest of the body.
	attributeForms []string
	// Blocks Nomad's parser takes out of the body before decoding the rest into the api type.
	extraBlocks map[string]reflect.Type
	// Block types whose labels Nomad reads by hand (the api type has no label field for them).
	labels map[string][]string
	// A whole-block decoder replacing the tags.
	decode func(block *hcl.Block, ptr reflect.Value) hcl.Diagnostics
}

var nomadBlockHooks = map[reflect.Type]blockHooks{
	// The job's label is its ID (a field without a label tag), and `vault` and `task` may sit at the job level.
	reflect.TypeOf(api.Job{}): {
		attributeForms: []string{"meta"},
		extraBlocks:    map[string]reflect.Type{"vault": reflect.TypeOf(api.Vault{}), "task": reflect.TypeOf(api.Task{})},
		labels:         map[string][]string{"task": {"name"}},
	},
	// A group-level `vault` block is copied into its tasks by the parser; api.TaskGroup has no field for it.
	reflect.TypeOf(api.TaskGroup{}): {
		attributeForms: []string{"meta"},
		extraBlocks:    map[string]reflect.Type{"vault": reflect.TypeOf(api.Vault{})},
	},
	// A task's `scaling "cpu"` / `scaling "mem"` label picks the policy type by hand.
	reflect.TypeOf(api.Task{}): {
		attributeForms: []string{"env", "meta"},
		labels:         map[string][]string{"scaling": {"name"}},
	},
	// Constraints and affinities are decoded by hand: operator shorthands (`distinct_hosts = true`,
	// `semver = ">= 1.0"`, …) have no field in the api types.
	reflect.TypeOf(api.Constraint{}): {decode: decodeShorthand(constraintArguments)},
	reflect.TypeOf(api.Affinity{}):   {decode: decodeShorthand(affinityArguments)},
}

var constraintArguments = map[string]reflect.Type{
	"attribute": stringType, "value": stringType, "operator": stringType,
	"distinct_property": stringType, "distinct_hosts": reflect.TypeOf(false), "regexp": stringType,
	"version": stringType, "semver": stringType, "set_contains": stringType, "set_contains_all": stringType,
	"set_contains_any": stringType, "is_set": stringType, "is_not_set": stringType,
}

var affinityArguments = map[string]reflect.Type{
	"attribute": stringType, "value": stringType, "operator": stringType, "weight": reflect.TypeOf(int8(0)),
	"version": stringType, "semver": stringType, "regexp": stringType, "set_contains": stringType,
	"set_contains_all": stringType, "set_contains_any": stringType,
}

var stringType = reflect.TypeOf("")

func decodeShorthand(arguments map[string]reflect.Type) func(*hcl.Block, reflect.Value) hcl.Diagnostics {
	schema := &hcl.BodySchema{}
	for name := range arguments {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: name})
	}
	return func(block *hcl.Block, _ reflect.Value) hcl.Diagnostics {
		content, diags := block.Body.Content(schema)
		for name, attr := range content.Attributes {
			value := reflect.New(arguments[name]).Elem()
			diags = append(diags, decodeAttribute(attr, value)...)
		}
		return diags
	}
}

// checkJobspec decodes a jobspec file: one `job "<id>"` block, decoded strictly into api.Job.
func checkJobspec(body hcl.Body) hcl.Diagnostics {
	content, diags := body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "job", LabelNames: []string{"id"}},
		// Nomad's input variables: the rendered jobspecs carry none, so this checker does not evaluate them.
		{Type: "variable", LabelNames: []string{"name"}}, {Type: "variables"}, {Type: "locals"},
	}})
	jobs := 0
	for _, block := range content.Blocks {
		if block.Type != "job" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Unchecked %s block", block.Type),
				Detail:   "nomad-jobspec-check does not evaluate Nomad input variables or locals; rendered jobspecs carry none",
				Subject:  &block.DefRange,
			})
			continue
		}
		if jobs++; jobs > 1 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate job block",
				Detail:   "A jobspec holds one job",
				Subject:  &block.DefRange,
			})
			continue
		}
		var job api.Job
		_, moreDiags := decodeBody(block.Body, reflect.ValueOf(&job).Elem())
		diags = append(diags, moreDiags...)
	}
	if jobs == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing job block",
			Detail:   "A jobspec needs a job block",
			Subject:  body.MissingItemRange().Ptr(),
		})
	}
	return diags
}

// attributeForm decodes `name = { … }` into a map field when the body has it, as Nomad's parser does for
// meta and env, and returns the rest of the body.
func attributeForm(body hcl.Body, name string, field reflect.Value) (hcl.Body, hcl.Diagnostics) {
	content, remain, diags := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	attr, ok := content.Attributes[name]
	if diags.HasErrors() || !ok {
		return body, nil
	}
	ctx, diags := runtimeEvalContext(attr.Expr)
	ptr := reflect.New(field.Type())
	diags = append(diags, gohcl.DecodeExpression(attr.Expr, ctx, ptr.Interface())...)
	field.Set(ptr.Elem())
	return remain, diags
}
